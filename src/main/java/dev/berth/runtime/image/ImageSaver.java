package dev.berth.runtime.image;

import dev.berth.content.ContentStore;
import dev.berth.content.StoredBlob;
import dev.berth.layer.ImageArchiveWriter;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ManifestParser;
import dev.berth.oci.ParsedManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code berth save}: local images as one tar ({@link ArchiveFormat}), streamed from the content
 * store blob by blob. Every blob is written once, as stored (layers stay compressed, manifests keep
 * their exact bytes and so their digests), under {@code blobs/sha256/<hex>}; entries carry time 0,
 * owner 0 and mode 0644 ({@link ImageArchiveWriter}), so saving the same images twice gives the same bytes.
 */
public final class ImageSaver {

    static final String OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}";
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String CONTAINERD_NAME = "io.containerd.image.name";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ContentStore content;

    public ImageSaver(ContentStore content) {
        this.content = content;
    }

    public void save(List<ImageRecord> images, ArchiveFormat format, OutputStream out) throws IOException {
        ImageArchiveWriter tar = new ImageArchiveWriter(out);
        tar.directory("blobs/");
        tar.directory("blobs/sha256/");
        Set<Digest> written = new HashSet<>();
        ArrayNode index = JSON.createArrayNode();
        Map<Digest, ObjectNode> dockerEntries = new LinkedHashMap<>();
        ObjectNode repositories = JSON.createObjectNode();
        for (ImageRecord image : images) {
            byte[] manifestBytes = content.read(image.manifest(), ImagePusher.MAX_MANIFEST_BYTES);
            ParsedManifest manifest = ManifestParser.parse(manifestBytes, null);
            List<Descriptor> blobs = new ArrayList<>(manifest.layers());
            blobs.add(manifest.config());
            for (Descriptor blob : blobs) {
                if (written.add(blob.digest())) {
                    blob(tar, blob.digest());
                }
            }
            if (written.add(image.manifest())) {
                tar.file(path(image.manifest()), manifestBytes);
            }
            ObjectNode entry = index.addObject().put("mediaType", manifest.mediaType().value())
                    .put("digest", image.manifest().toString()).put("size", manifestBytes.length);
            ObjectNode annotations = entry.putObject("annotations").put(CONTAINERD_NAME, image.reference().toString());
            if (image.reference().tag() != null) {
                annotations.put(REF_NAME, image.reference().tag().value());
            }
            ObjectNode docker = dockerEntries.computeIfAbsent(image.manifest(), m -> {
                ObjectNode node = JSON.createObjectNode().put("Config", path(manifest.config().digest()));
                node.putArray("RepoTags");
                ArrayNode layers = node.putArray("Layers");
                manifest.layers().forEach(l -> layers.add(path(l.digest())));
                return node;
            });
            if (image.reference().tag() != null) {
                String repository = image.reference().familiarRepository();
                String tag = image.reference().tag().value();
                ((ArrayNode) docker.get("RepoTags")).add(repository + ":" + tag);
                if (!manifest.layers().isEmpty()) {
                    // Docker's old readers want a top layer id here; ours and docker's new ones read manifest.json.
                    ObjectNode tags = repositories.has(repository) ? (ObjectNode) repositories.get(repository)
                            : repositories.putObject(repository);
                    tags.put(tag, manifest.layers().get(manifest.layers().size() - 1).digest().hex());
                }
            }
        }
        ObjectNode layoutIndex = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.index.v1+json");
        layoutIndex.set("manifests", index);
        tar.file("index.json", JSON.writeValueAsBytes(layoutIndex));
        if (format == ArchiveFormat.DOCKER) {
            ArrayNode manifests = JSON.createArrayNode();
            dockerEntries.values().forEach(manifests::add);
            tar.file("manifest.json", JSON.writeValueAsBytes(manifests));
        }
        tar.file("oci-layout", OCI_LAYOUT.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        if (format == ArchiveFormat.DOCKER) {
            tar.file("repositories", JSON.writeValueAsBytes(repositories));
        }
        tar.finish();
        out.flush();
    }

    static String path(Digest digest) {
        return "blobs/" + digest.algorithm().prefix() + "/" + digest.hex();
    }

    private void blob(ImageArchiveWriter tar, Digest digest) throws IOException {
        StoredBlob blob = content.require(digest);
        try (InputStream in = blob.stream()) {
            tar.file(path(digest), blob.size(), in);
        }
    }
}
