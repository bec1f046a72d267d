package dev.berth.registry.manifest;

import dev.berth.oci.Digest;
import dev.berth.oci.ManifestReference;
import dev.berth.oci.MediaType;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.registry.metadata.MetadataBeans;
import dev.berth.registry.metadata.StatsRows;
import dev.berth.registry.repository.RepositoryBeans;
import dev.berth.registry.repository.RepositoryService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The manifest service as the server builds it, by hand, on the real metadata (an H2 file
 * database in {@code dataDir}); with the blobs a manifest points at linked the way a finished
 * blob upload links them, and manifest bodies written out as a client sends them.
 */
final class ManifestBeans implements AutoCloseable {

    static final RepositoryName APP = RepositoryName.of("app");
    static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

    final MetadataBeans metadata;
    final RepositoryService repositories;
    final ManifestService manifests;
    /** What the pushes and deletes ran in their transaction, in order. */
    final List<String> audited = new ArrayList<>();

    ManifestBeans(Path dataDir) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        metadata = MetadataBeans.open(dataDir);
        StatsRows stats = metadata.statsRows();
        repositories = RepositoryBeans.service(metadata, stats, clock);
        ImmutableTags noImmutableTags = new ImmutableTags(new ImmutableTagSettings(List.of()), metadata.tagHolders(),
                metadata.immutableTagRuleRows(), clock);
        manifests = new ManifestService(metadata.manifestRecords(), repositories, metadata.transactions(), stats,
                RepositoryBeans.reviewQueue(metadata, clock), noImmutableTags, clock);
    }

    /** Links a blob with these bytes into the repository, as a completed upload does; returns its descriptor. */
    Blob link(RepositoryName name, String content) {
        Blob blob = Blob.of(content);
        repositories.recordAndLink(repositories.getOrCreateId(name), blob.digest(), blob.size());
        return blob;
    }

    ManifestService.Pushed push(RepositoryName name, String tag, byte[] body, MediaType type, String... extraTags) {
        return manifests.push(name, new ManifestReference.ByTag(Tag.of(tag)), body, type,
                List.of(extraTags).stream().map(Tag::of).toList(), pushed -> audited.add("push " + pushed.digest()));
    }

    void delete(RepositoryName name, ManifestReference reference) {
        manifests.delete(name, reference, () -> audited.add("delete " + reference));
    }

    long repositoryId(RepositoryName name) {
        return metadata.blobRecords().repositoryId(name).orElseThrow();
    }

    /** The repository's row of repository_stats: {manifest_count, tag_count}. */
    long[] counts(RepositoryName name) {
        return metadata.jdbc().queryForObject("SELECT manifest_count, tag_count FROM repository_stats WHERE repository_id = ?",
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}, repositoryId(name));
    }

    int rows(String table) {
        return metadata.count(table, "1 = 1");
    }

    @Override
    public void close() {
        metadata.close();
    }

    /** A blob's digest and size, for descriptors. */
    record Blob(Digest digest, long size) {
        static Blob of(String content) {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            return new Blob(Digest.sha256(bytes), bytes.length);
        }

        static Blob of(byte[] manifest) {
            return new Blob(Digest.sha256(manifest), manifest.length);
        }

        String descriptor(MediaType type) {
            return "{\"mediaType\": \"" + type.value() + "\", \"digest\": \"" + digest + "\", \"size\": " + size + "}";
        }
    }

    /** An image manifest, laid out with a client's own spacing (the registry must keep it byte for byte). */
    static byte[] image(Blob config, Blob subject, Blob... layers) {
        String body = "{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"" + MediaType.OCI_MANIFEST.value() + "\",\n"
                + "  \"config\": " + config.descriptor(MediaType.OCI_CONFIG) + ",\n"
                + "  \"layers\": [" + List.of(layers).stream().map(l -> l.descriptor(MediaType.OCI_LAYER_GZIP))
                .collect(Collectors.joining(",\n    ")) + "]"
                + (subject == null ? "" : ",\n  \"subject\": " + subject.descriptor(MediaType.OCI_MANIFEST))
                + "\n}\n";
        return body.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] index(byte[]... children) {
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX.value() + "\",\"manifests\":["
                + List.of(children).stream().map(c -> Blob.of(c).descriptor(MediaType.OCI_MANIFEST)).collect(Collectors.joining(","))
                + "]}";
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
