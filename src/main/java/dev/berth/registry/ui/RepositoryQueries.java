package dev.berth.registry.ui;

import dev.berth.oci.Descriptor;
import dev.berth.oci.ManifestParser;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** The repository page's numbers: its storage split, and one page of its tags, from SQL. */
@Component
class RepositoryQueries {

    private static final Logger log = LoggerFactory.getLogger(RepositoryQueries.class);
    static final int PAGE_SIZE = 50;
    private static final String INDEX_TYPES = "'" + MediaType.OCI_INDEX.value() + "', '" + MediaType.DOCKER_MANIFEST_LIST.value() + "'";

    public record Summary(long id, String name, long tagCount, long manifestCount, Instant lastPushed,
                          long exclusiveBytes, long sharedBytes) {
        public long totalBytes() {
            return exclusiveBytes + sharedBytes;
        }
    }

    /** A tag with what its manifest is: an index's platforms, or an image's one platform. */
    public record TagRow(String tag, String digest, String mediaType, boolean index, List<String> platforms,
                         long sizeBytes, Instant pushedAt, String artifactType) {
    }

    public record TagPage(List<TagRow> rows, long matching, int page, int pages) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final ConfigPlatforms configPlatforms;

    RepositoryQueries(NamedParameterJdbcTemplate jdbc, ConfigPlatforms configPlatforms) {
        this.jdbc = jdbc;
        this.configPlatforms = configPlatforms;
    }

    /** The repository's row of {@code repository_stats}: no counting at request time. */
    Optional<Summary> summary(String name) {
        List<Summary> found = jdbc.query("""
                select s.repository_id, s.name, s.tag_count, s.manifest_count, s.last_pushed_at, s.size_bytes - s.shared_bytes, s.shared_bytes
                from repository_stats s where s.name = :name""", new MapSqlParameterSource("name", name),
                (rs, i) -> new Summary(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), Catalog.instant(rs, 5),
                        rs.getLong(6), rs.getLong(7)));
        return found.stream().findFirst();
    }

    /**
     * One page of tags, newest push first or by name, in one query: the page's tag ids come from
     * the index of that order (the inner select), and only those 50 get their sizes. An image's
     * size is its config plus layers; an index's is the sum over the child manifests stored in
     * the repository. Without a filter the count is the repository's tag count; with one, the
     * inner select counts the matches as it pages ({@code count(*) over ()}). An image's platform
     * is its {@code manifests.platform}; an index's come from its bytes (one more query for the
     * page's indexes), and images whose column is still NULL are looked up once ({@link #recordPlatforms}).
     */
    TagPage tags(Summary repository, String query, boolean byName, int page) {
        boolean all = query == null || query.isBlank();
        String filter = all ? "" : " and t.name like :pattern escape '\\'";
        MapSqlParameterSource params = new MapSqlParameterSource("repo", repository.id())
                .addValue("pattern", Catalog.likePatternCaseSensitive(query)).addValue("limit", PAGE_SIZE);
        long matching = repository.tagCount();
        int current = all ? Math.min(Math.max(page, 1), pages(matching)) : Math.max(page, 1);
        List<Object[]> raw = pageOfTags(params, filter, byName, current);
        if (!all) {
            matching = raw.isEmpty() ? 0 : (Long) raw.get(0)[7];
            if (raw.isEmpty() && current > 1) { // past the last page: show the last one
                matching = jdbc.queryForObject("select count(*) from tags t where t.repository_id = :repo" + filter, params, Long.class);
                current = pages(matching);
                raw = pageOfTags(params, filter, byName, current);
            }
        }
        List<Long> indexIds = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        Map<Long, List<String>> platforms = new HashMap<>();
        for (Object[] r : raw) {
            long id = (Long) r[1];
            if (MediaType.parse((String) r[3]).isIndex()) {
                indexIds.add(id);
            } else if (r[8] == null) {
                unknown.add(id);
            } else if (!((String) r[8]).isEmpty()) {
                platforms.put(id, List.of((String) r[8]));
            }
        }
        platforms.putAll(platformsOf(indexIds));
        recordPlatforms(unknown).forEach((id, p) -> platforms.put(id, p.isEmpty() ? List.of() : List.of(p)));
        List<TagRow> rows = raw.stream().map(r -> new TagRow((String) r[0], (String) r[2], (String) r[3],
                indexIds.contains((Long) r[1]), platforms.getOrDefault((Long) r[1], List.of()), (Long) r[6],
                (Instant) r[4], (String) r[5])).toList();
        return new TagPage(rows, matching, current, pages(matching));
    }

    /**
     * The orders start with the repository id although it is fixed: H2 reads an index in order
     * only when the ORDER BY is that index's leading columns. Counting the matches needs them
     * all, so only a filtered page asks for it.
     */
    private List<Object[]> pageOfTags(MapSqlParameterSource params, String filter, boolean byName, int page) {
        params.addValue("offset", (long) (page - 1) * PAGE_SIZE);
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
                (rs, i) -> new Object[] {rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        Catalog.instant(rs, 5), rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getString(9)});
    }

    private static int pages(long matching) {
        return (int) Math.max(1, (matching + PAGE_SIZE - 1) / PAGE_SIZE);
    }

    /**
     * The platform of image manifests not looked up yet (pushed before the column existed, or not
     * listed since their push), from their config blobs, kept in {@code manifests.platform} ("" for
     * none): each manifest's config is read once, and later pages read the column only. A config
     * that cannot be read now stays NULL (tried again by the next page); a write that fails leaves
     * the page as it is, with the platforms found.
     */
    private Map<Long, String> recordPlatforms(List<Long> manifestIds) {
        Map<Long, String> found = new TreeMap<>(); // in id order: concurrent pages lock rows in one order
        if (manifestIds.isEmpty()) {
            return found;
        }
        Set<Long> withConfig = new HashSet<>();
        jdbc.query("select manifest_id, digest, media_type, size_bytes from manifest_references where manifest_id in (:ids) and kind = 'CONFIG'",
                new MapSqlParameterSource("ids", manifestIds), rs -> {
                    long id = rs.getLong(1);
                    withConfig.add(id);
                    configPlatforms.column(rs.getString(2), rs.getString(3), rs.getLong(4)).ifPresent(p -> found.put(id, p));
                });
        manifestIds.stream().filter(id -> !withConfig.contains(id)).forEach(id -> found.put(id, "")); // no config at all
        try {
            jdbc.batchUpdate("update manifests set platform = :platform where id = :id and platform is null",
                    found.entrySet().stream().map(e -> new MapSqlParameterSource("id", e.getKey()).addValue("platform", e.getValue()))
                            .toArray(MapSqlParameterSource[]::new));
        } catch (DataAccessException e) {
            log.warn("could not keep the platforms of manifests {}: {}", found.keySet(), e.getMessage());
        }
        return found;
    }

    /** The platforms an index lists, read from its stored bytes (small: manifests are capped). */
    private Map<Long, List<String>> platformsOf(List<Long> indexIds) {
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

    /** The tags of a repository pointing at one manifest. */
    List<String> tagsOf(long repositoryId, String digest) {
        return jdbc.queryForList("""
                select t.name from tags t join manifests m on m.id = t.manifest_id
                where t.repository_id = :repo and m.digest = :digest order by t.name""",
                new MapSqlParameterSource("repo", repositoryId).addValue("digest", digest), String.class);
    }

    /** Every tag name of a repository (for the compare form), capped. */
    List<String> tagNames(long repositoryId, int max) {
        return jdbc.queryForList("select t.name from tags t where t.repository_id = :repo order by t.repository_id, t.name limit :max",
                new MapSqlParameterSource("repo", repositoryId).addValue("max", max), String.class);
    }
}
