package dev.berth.runtime.image;

import dev.berth.client.RegistryClient;
import dev.berth.content.ContentStore;
import dev.berth.layer.ImageArchiveException;
import dev.berth.layer.ImageArchiveReader;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.ManifestParser;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciException;
import dev.berth.oci.ParsedManifest;
import dev.berth.oci.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the images of a read archive are. An OCI layout ({@code index.json}) is read as it is: its
 * manifests are kept with their exact bytes, named by {@code io.containerd.image.name}, or by
 * {@code org.opencontainers.image.ref.name} when that is a whole reference, or else by the
 * {@code RepoTags} that docker's {@code manifest.json} gives the same config. An archive with only a
 * {@code manifest.json} (docker's older save, skopeo's docker-archive) has no
 * manifest: one is written for each image, an OCI manifest of its config and layers, each layer's
 * media type told by its first bytes (gzip, zstd or a plain tar).
 */
final class ArchiveImages {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One image of the archive: its names, the digest it was resolved from, and its manifest. */
    record Found(List<ImageReference> names, Digest resolved, Digest manifest, ParsedManifest parsed) {
    }

    private final ContentStore content;
    private final Platform platform;

    ArchiveImages(ContentStore content, Platform platform) {
        this.content = content;
        this.platform = platform;
    }

    List<Found> find(ArchiveIngest.Contents archive, Set<Digest> added) throws IOException {
        byte[] index = archive.metadata().get("index.json");
        byte[] docker = archive.metadata().get("manifest.json");
        if (index == null && docker == null) {
            throw new ImageArchiveException("not an image archive: it has neither manifest.json nor index.json");
        }
        Map<Digest, List<ImageReference>> repoTags = docker == null ? Map.of() : repoTagsByConfig(archive, docker);
        List<Found> found = index != null ? fromLayout(index, repoTags) : fromDockerManifest(archive, docker, added);
        if (found.isEmpty()) {
            throw new ImageArchiveException("the archive holds no image");
        }
        for (Found f : found) {
            if (f.names().isEmpty()) {
                throw new ImageArchiveException("image " + f.manifest() + " of the archive has no name (no RepoTags, "
                        + "io.containerd.image.name or whole org.opencontainers.image.ref.name), and berth keeps images by name");
            }
        }
        return found;
    }

    private List<Found> fromLayout(byte[] indexBytes, Map<Digest, List<ImageReference>> repoTags) throws IOException {
        Map<Digest, Found> out = new LinkedHashMap<>();
        for (JsonNode entry : json(indexBytes, "index.json").path("manifests")) {
            Digest top = digest(entry.path("digest").asString(""), "index.json");
            String declared = entry.path("mediaType").asString("");
            MediaType type = declared.isEmpty() ? null : MediaType.parse(declared);
            ParsedManifest parsed = manifest(top, entry.path("size").asLong(-1), type);
            Digest manifest = top;
            if (parsed.isIndex()) {
                Descriptor chosen = RegistryClient.selectPlatform(parsed, platform, "index " + top + " of the archive");
                parsed = manifest(chosen.digest(), chosen.size(), chosen.mediaType());
                manifest = chosen.digest();
                if (parsed.isIndex()) {
                    throw new ImageArchiveException("index " + top + " of the archive: an index inside an index is not supported");
                }
            }
            List<ImageReference> names = new ArrayList<>();
            JsonNode annotations = entry.path("annotations");
            String full = annotations.path(ImageSaver.CONTAINERD_NAME).asString("");
            String ref = annotations.path(ImageSaver.REF_NAME).asString("");
            if (!full.isEmpty()) {
                names.add(reference(full));
            } else if (ref.contains("/") || ref.contains(":") || ref.contains("@")) {
                names.add(reference(ref));
            }
            if (names.isEmpty() && parsed.config() != null) {
                names.addAll(repoTags.getOrDefault(parsed.config().digest(), List.of()));
            }
            Digest m = manifest;
            ParsedManifest p = parsed;
            Found before = out.computeIfAbsent(manifest, d -> new Found(new ArrayList<>(), top, m, p));
            names.stream().filter(n -> !before.names().contains(n)).forEach(before.names()::add);
        }
        return List.copyOf(out.values());
    }

    private List<Found> fromDockerManifest(ArchiveIngest.Contents archive, byte[] docker, Set<Digest> added) throws IOException {
        List<Found> out = new ArrayList<>();
        for (JsonNode entry : array(docker)) {
            ArchiveIngest.StoredFile config = file(archive, entry.path("Config").asString(""));
            ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaType.OCI_MANIFEST.value());
            manifest.putObject("config").put("mediaType", MediaType.OCI_CONFIG.value()).put("digest", config.digest().toString())
                    .put("size", config.size());
            ArrayNode layers = manifest.putArray("layers");
            for (JsonNode layerPath : entry.path("Layers")) {
                ArchiveIngest.StoredFile layer = file(archive, layerPath.asString(""));
                layers.addObject().put("mediaType", layerType(layer.digest()).value()).put("digest", layer.digest().toString())
                        .put("size", layer.size());
            }
            byte[] bytes = JSON.writeValueAsBytes(manifest);
            Digest digest = Digest.sha256(bytes);
            if (!content.contains(digest)) {
                content.put(digest, bytes);
                added.add(digest);
            }
            out.add(new Found(names(entry.path("RepoTags")), digest, digest, ManifestParser.parse(bytes, MediaType.OCI_MANIFEST)));
        }
        return out;
    }

    private Map<Digest, List<ImageReference>> repoTagsByConfig(ArchiveIngest.Contents archive, byte[] docker) throws IOException {
        Map<Digest, List<ImageReference>> out = new LinkedHashMap<>();
        for (JsonNode entry : array(docker)) {
            ArchiveIngest.StoredFile config = file(archive, entry.path("Config").asString(""));
            out.computeIfAbsent(config.digest(), d -> new ArrayList<>()).addAll(names(entry.path("RepoTags")));
        }
        return out;
    }

    private static List<ImageReference> names(JsonNode repoTags) throws ImageArchiveException {
        List<ImageReference> out = new ArrayList<>();
        for (JsonNode tag : repoTags) {
            out.add(reference(tag.asString("")));
        }
        return out;
    }

    /** A manifest the archive holds (or the store had already), checked against its descriptor. */
    private ParsedManifest manifest(Digest digest, long size, MediaType type) throws IOException {
        if (!content.contains(digest)) {
            throw new ImageArchiveException("index.json names " + digest + ", which the archive does not hold");
        }
        byte[] bytes = content.read(digest, ImagePusher.MAX_MANIFEST_BYTES);
        if (size >= 0 && bytes.length != size) {
            throw new ImageArchiveException("index.json says " + digest + " is " + size + " bytes; it is " + bytes.length);
        }
        try {
            return ManifestParser.parse(bytes, type != null && type.isManifestOrIndex() ? type : null);
        } catch (OciException e) {
            throw new ImageArchiveException("manifest " + digest + " of the archive: " + e.getMessage());
        }
    }

    private static ArchiveIngest.StoredFile file(ArchiveIngest.Contents archive, String path) throws ImageArchiveException {
        String name = ImageArchiveReader.normalize(path.isEmpty() ? "(none)" : path);
        ArchiveIngest.StoredFile file = archive.file(name);
        if (file == null) {
            throw new ImageArchiveException("manifest.json names " + path + ", which the archive does not hold");
        }
        return file;
    }

    private MediaType layerType(Digest layer) throws IOException {
        byte[] magic;
        try (InputStream in = content.open(layer)) {
            magic = in.readNBytes(4);
        }
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return MediaType.OCI_LAYER_GZIP;
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            return MediaType.OCI_LAYER_ZSTD;
        }
        return MediaType.OCI_LAYER_TAR;
    }

    private static ImageReference reference(String text) throws ImageArchiveException {
        try {
            return ImageReference.parse(text);
        } catch (OciException e) {
            throw new ImageArchiveException("the archive names an image " + text + ": " + e.getMessage());
        }
    }

    private static Digest digest(String text, String where) throws ImageArchiveException {
        try {
            return Digest.of(text);
        } catch (OciException e) {
            throw new ImageArchiveException(where + ": " + e.getMessage());
        }
    }

    private static JsonNode json(byte[] bytes, String name) throws ImageArchiveException {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject() && !node.isArray()) {
                throw new ImageArchiveException(name + " is not a JSON object or array");
            }
            return node;
        } catch (JacksonException e) {
            throw new ImageArchiveException(name + " is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    private static JsonNode array(byte[] docker) throws ImageArchiveException {
        JsonNode node = json(docker, "manifest.json");
        if (!node.isArray()) {
            throw new ImageArchiveException("manifest.json is not a JSON array");
        }
        return node;
    }
}
