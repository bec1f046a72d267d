package dev.berth.registry.metadata;

import dev.berth.oci.Digest;
import dev.berth.oci.Tag;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Which manifest a tag points at, and which tags hold a manifest: what immutable-tag rules check. */
@Component
public class TagHolders {

    private final JdbcTemplate jdbc;

    TagHolders(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The digest of the manifest the repository's tag points at, if the tag exists. */
    public Optional<Digest> target(long repositoryId, Tag tag) {
        return jdbc.queryForList("""
                SELECT m.digest FROM tags t JOIN manifests m ON m.id = t.manifest_id
                WHERE t.repository_id = ? AND t.name = ?""", String.class, repositoryId, tag.value())
                .stream().findFirst().map(Digest::of);
    }

    /** The repository's tags that point at the manifest, or at an index of the repository that lists it as a child; in byte order. */
    public List<Tag> holding(long repositoryId, Digest manifest) {
        return jdbc.queryForList("""
                SELECT t.name FROM tags t JOIN manifests m ON m.id = t.manifest_id
                WHERE t.repository_id = ? AND m.digest = ?
                UNION
                SELECT t.name FROM tags t JOIN manifest_references r ON r.manifest_id = t.manifest_id
                WHERE t.repository_id = ? AND r.kind = 'CHILD' AND r.digest = ?
                ORDER BY 1""", String.class, repositoryId, manifest.toString(), repositoryId, manifest.toString())
                .stream().map(Tag::of).toList();
    }
}
