package dev.berth.registry.metadata;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ManifestParser;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciException;
import dev.berth.oci.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** A repository's tags as its web page lists them: one page with sizes, and the platforms of what they point at. */
@Component
public class TagRows {

    private static final String INDEX_TYPES = "'" + MediaType.OCI_INDEX.value() + "', '" + MediaType.DOCKER_MANIFEST_LIST.value() + "'";

    /**
     * A tag and its manifest. An image's size is its config plus layers; an index's is the sum over
     * the child manifests stored in the repository.
     *
     * @param platform an image's {@code manifests.platform}: null when not looked up yet, "" for none
     */
    public record Row(Tag tag, long manifestId, Digest digest, MediaType mediaType, Instant pushedAt, String artifactType,
                      long sizeBytes, String platform) {
    }

    public record Page(List<Row> rows, long matching, int page, int pages) {
    }

    /** A manifest's config, to read its platform from; the digest as the manifest wrote it. */
    public record Config(long manifestId, String digest, MediaType mediaType, long size) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    TagRows(JdbcTemplate jdbc) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
    }

    /**
     * One page of tags whose name contains {@code query}, newest push first or by name, in one
     * query: the page's tag ids come from the index of that order (the inner select), and only
     * those get their sizes. Without a filter the count is {@code tagCount} (the repository's
     * stats row); with one, the inner select counts the matches as it pages ({@code count(*) over ()}).
     * A page past the last shows the last.
     */
    public Page page(long repositoryId, long tagCount, String query, boolean byName, int page, int pageSize) {
        boolean all = query == null || query.isBlank();
        String filter = all ? "" : " and t.name like :pattern escape '\\'";
        MapSqlParameterSource params = new MapSqlParameterSource("repo", repositoryId)
                .addValue("pattern", LikePatterns.caseSensitive(query)).addValue("limit", pageSize);
        long matching = tagCount;
        int current = all ? Math.min(Math.max(page, 1), CatalogRows.pages(matching, pageSize)) : Math.max(page, 1);
        long[] counted = {0};
        List<Row> rows = pageOfTags(params, filter, byName, current, pageSize, counted);
        if (!all) {
            matching = rows.isEmpty() ? 0 : counted[0];
            if (rows.isEmpty() && current > 1) { // past the last page: show the last one
                matching = jdbc.queryForObject("select count(*) from tags t where t.repository_id = :repo" + filter, params, Long.class);
                current = CatalogRows.pages(matching, pageSize);
                rows = pageOfTags(params, filter, byName, current, pageSize, counted);
            }
        }
        return new Page(rows, matching, current, CatalogRows.pages(matching, pageSize));
    }

    /**
     * The orders start with the repository id although it is fixed: H2 reads an index in order
     * only when the ORDER BY is that index's leading columns. Counting the matches needs them
     * all, so only a filtered page asks for it.
     */
    private List<Row> pageOfTags(MapSqlParameterSource params, String filter, boolean byName, int page, int pageSize, long[] counted) {
        params.addValue("offset", (long) (page - 1) * pageSize);
        String order = byName ? "t.repository_id, t.name" : "t.repository_id, t.updated_at desc, t.name";
        return jdbc.query("""
                select t.name, m.id, m.digest, m.media_type, t.updated_at, m.artifact_type,
                  (select coalesce(sum(x.size_bytes), 0) from manifest_references x
                     where x.manifest_id = m.id and x.kind in ('CONFIG', 'LAYER')) +
                  (select coalesce(sum(cx.size_bytes), 0) from manifest_references c
                     join manifests cm on cm.repository_id = m.repository_id and cm.digest = c.digest
                     join manifest_references cx on cx.manifest_id = cm.id and cx.kind in ('CONFIG', 'LAYER')
                     where c.manifest_id = m.id and c.kind = 'CHILD'),
                  p.matching, m.platform
                from (select t.id, %s as matching from tags t where t.repository_id = :repo%s
                      order by %s limit :limit offset :offset) p
                join tags t on t.id = p.id join manifests m on m.id = t.manifest_id
                order by %s""".formatted(filter.isEmpty() ? "0" : "count(*) over ()", filter, order, order), params,
                (rs, i) -> {
                    counted[0] = rs.getLong(8);
                    return new Row(Tag.of(rs.getString(1)), rs.getLong(2), Digest.of(rs.getString(3)), new MediaType(rs.getString(4)),
                            Timestamps.instant(rs, 5), rs.getString(6), rs.getLong(7), rs.getString(9));
                });
    }

    /** The config of each of these image manifests that has one. */
    public List<Config> configsOf(Collection<Long> manifestIds) {
        if (manifestIds.isEmpty()) {
            return List.of();
        }
        return jdbc.query("select manifest_id, digest, media_type, size_bytes from manifest_references where manifest_id in (:ids) and kind = 'CONFIG'",
                new MapSqlParameterSource("ids", manifestIds),
                (rs, i) -> new Config(rs.getLong(1), rs.getString(2), new MediaType(rs.getString(3)), rs.getLong(4)));
    }

    /**
     * Keeps the platforms found ("" for none) in {@code manifests.platform}, where still NULL; the
     * caller passes them in id order, so that concurrent pages lock rows in one order.
     */
    public void keepPlatforms(Map<Long, String> platforms) {
        jdbc.batchUpdate("update manifests set platform = :platform where id = :id and platform is null",
                platforms.entrySet().stream().map(e -> new MapSqlParameterSource("id", e.getKey()).addValue("platform", e.getValue()))
                        .toArray(MapSqlParameterSource[]::new));
    }

    /** The platforms each of these indexes lists, read from its stored bytes (small: manifests are capped). */
    public Map<Long, List<String>> platformsOfIndexes(Collection<Long> indexIds) {
        Map<Long, List<String>> out = new HashMap<>();
        if (indexIds.isEmpty()) {
            return out;
        }
        jdbc.query("select id, content, media_type from manifests where id in (:ids) and media_type in (" + INDEX_TYPES + ")",
                new MapSqlParameterSource("ids", indexIds), rs -> {
                    List<String> list = new ArrayList<>();
                    try {
                        for (Descriptor d : ManifestParser.parse(rs.getBytes(2), MediaType.parse(rs.getString(3))).manifests()) {
                            if (d.platform() != null && d.platform().os() != null && !"unknown".equals(d.platform().os())) {
                                list.add(d.platform().toString());
                            }
                        }
                    } catch (OciException e) {
                        // stored bytes were accepted once; if they no longer parse, show no platforms
                    }
                    out.put(rs.getLong(1), list.stream().distinct().toList());
                });
        return out;
    }

    /** The tags of a repository pointing at one manifest, by name. */
    public List<Tag> tagsOf(long repositoryId, Digest digest) {
        return jdbc.query("""
                select t.name from tags t join manifests m on m.id = t.manifest_id
                where t.repository_id = :repo and m.digest = :digest order by t.name""",
                new MapSqlParameterSource("repo", repositoryId).addValue("digest", digest.toString()), (rs, i) -> Tag.of(rs.getString(1)));
    }

    /** The first {@code max} tag names of a repository, by name (for the compare form). */
    public List<Tag> tagNames(long repositoryId, int max) {
        return jdbc.query("select t.name from tags t where t.repository_id = :repo order by t.repository_id, t.name limit :max",
                new MapSqlParameterSource("repo", repositoryId).addValue("max", max), (rs, i) -> Tag.of(rs.getString(1)));
    }
}
