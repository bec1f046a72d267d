package dev.berth.registry.ui;

import dev.berth.content.StoredBlob;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ManifestParser;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciException;
import dev.berth.oci.ParsedManifest;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.ManifestReference;
import dev.berth.registry.manifest.ManifestService;
import dev.berth.registry.metadata.StoredManifest;
import dev.berth.registry.repository.LinkedBlobs;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Builds the tag / manifest page: what the manifest points at, its config, history and referrers. */
@Component
class ImagePages {

    /** Configs are small JSON documents; a bigger "config" is not one to show. */
    static final long MAX_CONFIG_BYTES = 4L * 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A layer and the build step that made it; {@code index} is its position among the layers. */
    public record Layer(int index, String digest, String mediaType, long size) {
    }

    /** One row of the layer list: a build step, with the layer it made unless it was an empty one. */
    public record Step(String instruction, Instant created, boolean emptyLayer, Layer layer) {
    }

    public record Child(String platform, String digest, String mediaType, long size, boolean stored) {
    }

    public record Referrer(String digest, String artifactType, Instant pushedAt, long size) {
    }

    public record ImagePage(String repository, String tag, String digest, String mediaType, long manifestSize,
                            Instant pushedAt, List<String> tags, boolean index, List<Child> children,
                            ImageConfig config, String configDigest, List<Step> steps, List<Layer> layers,
                            long compressedSize, List<Referrer> referrers, String manifestJson, String configJson,
                            String subject, String artifactType) {
    }

    private final ManifestService manifests;
    private final RepositoryQueries queries;
    private final LinkedBlobs blobs;

    ImagePages(ManifestService manifests, RepositoryQueries queries, LinkedBlobs blobs) {
        this.manifests = manifests;
        this.queries = queries;
        this.blobs = blobs;
    }

    /** The manifest a tag or digest names, through the same lookup as the API (unknown → 404 page). */
    StoredManifest manifest(RepositoryName name, ManifestReference reference) {
        return manifests.get(name, reference);
    }

    ImagePage page(RepositoryName name, ManifestReference reference) {
        StoredManifest m = manifest(name, reference);
        RepositoryQueries.Summary repo = queries.summary(name).orElseThrow();
        ParsedManifest parsed = ManifestParser.parse(m.content(), m.mediaType());
        String tag = reference instanceof ManifestReference.ByTag t ? t.tag().value() : null;
        List<String> tags = queries.tagsOf(repo.id(), m.digest());
        List<Referrer> referrers = manifests.referrers(name, m.digest()).stream()
                .map(r -> new Referrer(r.digest().toString(), r.artifactType(), r.pushedAt(), r.size())).toList();
        String manifestJson = pretty(m.content());
        if (parsed.isIndex()) {
            Set<Digest> stored = new HashSet<>(manifests.storedChildren(m));
            List<Child> children = parsed.manifests().stream().map(d -> new Child(
                    d.platform() == null ? "unknown" : d.platform().toString(), d.digest().toString(), d.mediaType().value(),
                    d.size(), stored.contains(d.digest()))).toList();
            return new ImagePage(name.value(), tag, m.digest().toString(), m.mediaType().value(), m.size(), m.pushedAt(), tags, true, children,
                    null, null, List.of(), List.of(), 0, referrers, manifestJson, null,
                    subject(parsed), m.artifactType());
        }
        List<Layer> layers = new ArrayList<>();
        long compressed = parsed.config().size();
        for (Descriptor d : parsed.layers()) {
            layers.add(new Layer(layers.size(), d.digest().toString(), d.mediaType().value(), d.size()));
            compressed += d.size();
        }
        Optional<byte[]> configJson = readConfig(name, parsed.config());
        ImageConfig config = configJson.filter(b -> isImageConfig(parsed.config())).map(ImagePages::parseConfig).orElse(null);
        return new ImagePage(name.value(), tag, m.digest().toString(), m.mediaType().value(), m.size(), m.pushedAt(), tags, false, List.of(),
                config, parsed.config().digest().toString(), steps(config, layers), layers, compressed, referrers, manifestJson,
                configJson.map(ImagePages::pretty).orElse(null), subject(parsed), m.artifactType());
    }

    /**
     * Lines the history up with the layers: each step that is not an {@code empty_layer} made the
     * next layer. Layers beyond the history (or with no history at all) get a step of their own.
     */
    static List<Step> steps(ImageConfig config, List<Layer> layers) {
        List<Step> steps = new ArrayList<>();
        int next = 0;
        if (config != null) {
            for (ImageConfig.History h : config.history()) {
                Layer layer = !h.emptyLayer() && next < layers.size() ? layers.get(next++) : null;
                steps.add(new Step(instruction(h.createdBy()), h.created(), h.emptyLayer(), layer));
            }
        }
        for (; next < layers.size(); next++) {
            steps.add(new Step(null, null, false, layers.get(next)));
        }
        return steps;
    }

    /**
     * The Dockerfile instruction behind a history step, as people read it: the
     * {@code /bin/sh -c #(nop) } of the classic builder goes, and a plain shell step reads as RUN.
     */
    static String instruction(String createdBy) {
        if (createdBy == null) {
            return null;
        }
        String s = createdBy.strip();
        if (s.startsWith("/bin/sh -c #(nop)")) {
            return s.substring("/bin/sh -c #(nop)".length()).strip();
        }
        if (s.startsWith("/bin/sh -c ")) {
            return "RUN " + s.substring("/bin/sh -c ".length()).strip();
        }
        return s;
    }

    /** The image config as the runtime reads it; one it would refuse is shown as raw JSON only. */
    private static ImageConfig parseConfig(byte[] json) {
        try {
            return ImageConfig.parse(json);
        } catch (OciException e) {
            return null;
        }
    }

    private static boolean isImageConfig(Descriptor config) {
        return config.mediaType().equals(MediaType.OCI_CONFIG) || config.mediaType().equals(MediaType.DOCKER_CONFIG);
    }

    /**
     * The config blob, when the repository links it (as /v2 would serve it), it is stored, small and
     * a JSON object (artifacts may have other configs).
     */
    private Optional<byte[]> readConfig(RepositoryName name, Descriptor config) {
        if (config.size() > MAX_CONFIG_BYTES || !config.mediaType().value().endsWith("json")) {
            return Optional.empty();
        }
        try {
            Optional<StoredBlob> blob = blobs.open(name, config.digest());
            if (blob.isEmpty()) {
                return Optional.empty();
            }
            byte[] json;
            try (InputStream in = blob.get().stream()) {
                json = in.readNBytes((int) MAX_CONFIG_BYTES + 1);
            }
            JsonNode tree = json.length > MAX_CONFIG_BYTES ? null : JSON.readTree(json);
            return tree != null && tree.isObject() ? Optional.of(json) : Optional.empty();
        } catch (IOException | JacksonException e) {
            return Optional.empty();
        }
    }

    private static String subject(ParsedManifest parsed) {
        return parsed.subject() == null ? null : parsed.subject().digest().toString();
    }

    static String pretty(byte[] json) {
        try {
            return pretty(JSON.readTree(json));
        } catch (JacksonException e) {
            return new String(json, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static String pretty(JsonNode tree) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    }
}
