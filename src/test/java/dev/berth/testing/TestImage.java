package dev.berth.testing;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An OCI image assembled in a test: layers (tar, gzip or zstd), a config whose {@code diff_ids}
 * match them, and a manifest; pushed with {@link #push}. The JSON is written by hand on purpose,
 * so the tests do not share a serializer with the code they test.
 */
public final class TestImage {

    private record Layer(MediaType mediaType, byte[] blob, Digest diffId) {
    }

    private final List<Layer> layers = new ArrayList<>();
    private String execution = "{}";
    private Platform platform = Platform.host();

    public static TestImage create() {
        return new TestImage();
    }

    public TestImage layer(TestLayer layer, MediaType mediaType) {
        byte[] tar = layer.tar();
        byte[] blob = mediaType.equals(MediaType.OCI_LAYER_GZIP) || mediaType.equals(MediaType.DOCKER_LAYER_GZIP) ? layer.gzip()
                : mediaType.equals(MediaType.OCI_LAYER_ZSTD) ? layer.zstd() : tar;
        layers.add(new Layer(mediaType, blob, Digest.sha256(tar)));
        return this;
    }

    /** A layer given as its blob, for one too large to hold as a tar ({@link GzipBomb}). */
    public TestImage layer(byte[] blob, MediaType mediaType, Digest diffId) {
        layers.add(new Layer(mediaType, blob, diffId));
        return this;
    }

    /** The {@code config} object of the image config, as JSON. */
    public TestImage execution(String json) {
        this.execution = json;
        return this;
    }

    public TestImage platform(Platform p) {
        this.platform = p;
        return this;
    }

    public byte[] config() {
        String diffIds = layers.stream().map(l -> "\"" + l.diffId + "\"").collect(Collectors.joining(","));
        return ("{\"created\":\"2026-11-01T10:00:00Z\",\"architecture\":\"" + platform.architecture() + "\",\"os\":\""
                + platform.os() + "\"" + (platform.variant() == null ? "" : ",\"variant\":\"" + platform.variant() + "\"")
                + ",\"config\":" + execution + ",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]},"
                + "\"history\":[{\"created\":\"2026-11-01T10:00:00Z\",\"created_by\":\"berth tests\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The digests of the layers' uncompressed tars, as the config lists them. */
    public List<Digest> diffIds() {
        return layers.stream().map(Layer::diffId).toList();
    }

    public List<byte[]> layerBlobs() {
        return layers.stream().map(Layer::blob).toList();
    }

    /** Pushes layers, config and manifest; returns the manifest's descriptor. */
    public Descriptor push(RegistryPusher pusher, String repository, String tag) {
        Descriptor config = pusher.blob(repository, MediaType.OCI_CONFIG, config());
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"").append(MediaType.OCI_MANIFEST)
                .append("\",\"config\":").append(descriptor(config)).append(",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            json.append(i == 0 ? "" : ",").append(descriptor(pusher.blob(repository, l.mediaType, l.blob)));
        }
        byte[] manifest = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        Digest digest = pusher.manifest(repository, tag, MediaType.OCI_MANIFEST, manifest);
        return new Descriptor(MediaType.OCI_MANIFEST, digest, manifest.length, null, null, platform);
    }

    /** Pushes an index of already pushed manifests under {@code tag}. */
    public static Digest pushIndex(RegistryPusher pusher, String repository, String tag, List<Descriptor> manifests) {
        String entries = manifests.stream().map(d -> descriptor(d).replaceFirst("}$", ",\"platform\":{\"os\":\""
                + d.platform().os() + "\",\"architecture\":\"" + d.platform().architecture() + "\""
                + (d.platform().variant() == null ? "" : ",\"variant\":\"" + d.platform().variant() + "\"") + "}}"))
                .collect(Collectors.joining(","));
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX + "\",\"manifests\":[" + entries + "]}")
                .getBytes(StandardCharsets.UTF_8);
        return pusher.manifest(repository, tag, MediaType.OCI_INDEX, index);
    }

    static String descriptor(Descriptor d) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }
}
