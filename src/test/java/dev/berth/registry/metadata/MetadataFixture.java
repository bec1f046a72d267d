package dev.berth.registry.metadata;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes repositories, blobs, manifests and tags into a migrated H2 through the metadata classes,
 * in the order RepositoryService and ManifestService call them, stats included.
 */
final class MetadataFixture {

    final JdbcTemplate jdbc = MetadataDatabase.migrated();
    final BlobRecords blobs = new BlobRecords(jdbc);
    final ManifestRecords manifests = new ManifestRecords(jdbc);
    final StatsRows stats = new StatsRows(jdbc);
    final CatalogRows catalog = new CatalogRows(jdbc);
    final TagRows tags = new TagRows(jdbc);

    /** A new repository with its stats row, as the first upload or push creates it. */
    long repository(String name, Instant at) {
        RepositoryName repository = RepositoryName.of(name);
        blobs.insertRepository(repository, at);
        long id = blobs.repositoryId(repository).orElseThrow();
        stats.created(id, repository);
        return id;
    }

    /** A completed upload (or mount): the blob recorded and linked. */
    Digest blob(long repositoryId, String content, Instant at) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(bytes);
        if (blobs.recordAndLink(repositoryId, digest, bytes.length, at)) {
            stats.linked(repositoryId, digest);
        }
        return digest;
    }

    /** An image manifest whose config and layer blobs the repository links, tagged; returns its digest. */
    Digest image(long repositoryId, String tag, String config, String layer, Instant at) {
        Digest c = blob(repositoryId, config, at);
        Digest l = blob(repositoryId, layer, at);
        byte[] content = ("{\"config\":\"" + c + "\",\"layers\":[\"" + l + "\"]}").getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        long id = manifests.insert(repositoryId, digest, MediaType.OCI_MANIFEST, null, null, content, at, List.of(
                new ManifestRecords.Reference(DescriptorKind.CONFIG, c, MediaType.OCI_CONFIG, config.length()),
                new ManifestRecords.Reference(DescriptorKind.LAYER, l, MediaType.OCI_LAYER_GZIP, layer.length())));
        tag(repositoryId, tag, id, 1, at);
        return digest;
    }

    /** An OCI index over stored child manifests (sizes given), with one platform per child, tagged. */
    Digest index(long repositoryId, String tag, List<Digest> children, List<String> platforms, Instant at) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX.value() + "\",\"manifests\":[");
        List<ManifestRecords.Reference> references = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            String[] p = platforms.get(i).split("/");
            json.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(MediaType.OCI_MANIFEST.value()).append("\",\"digest\":\"")
                    .append(children.get(i)).append("\",\"size\":100,\"platform\":{\"os\":\"").append(p[0])
                    .append("\",\"architecture\":\"").append(p[1]).append("\"}}");
            references.add(new ManifestRecords.Reference(DescriptorKind.CHILD, children.get(i), MediaType.OCI_MANIFEST, 100));
        }
        byte[] content = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        long id = manifests.insert(repositoryId, digest, MediaType.OCI_INDEX, null, null, content, at, references);
        tag(repositoryId, tag, id, 1, at);
        return digest;
    }

    private void tag(long repositoryId, String tag, long manifestId, int manifestsStored, Instant at) {
        boolean created = manifests.setTag(repositoryId, Tag.of(tag), manifestId, at);
        stats.pushed(repositoryId, manifestsStored, 1, created ? 1 : 0, at);
    }
}
