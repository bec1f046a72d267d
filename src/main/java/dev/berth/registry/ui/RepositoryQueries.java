package dev.berth.registry.ui;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.registry.metadata.StatsRows;
import dev.berth.registry.metadata.TagRows;
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
import org.springframework.stereotype.Component;

/**
 * The repository page's numbers: its storage split (its stats row), and one page of its tags
 * ({@link TagRows}) with the platforms of what they point at.
 */
@Component
class RepositoryQueries {

    private static final Logger log = LoggerFactory.getLogger(RepositoryQueries.class);
    static final int PAGE_SIZE = 50;

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

    private final StatsRows stats;
    private final TagRows tags;
    private final ConfigPlatforms configPlatforms;

    RepositoryQueries(StatsRows stats, TagRows tags, ConfigPlatforms configPlatforms) {
        this.stats = stats;
        this.tags = tags;
        this.configPlatforms = configPlatforms;
    }

    /** The repository's row of {@code repository_stats}: no counting at request time. */
    Optional<Summary> summary(RepositoryName name) {
        return stats.summary(name).map(s -> new Summary(s.id(), s.name().value(), s.tagCount(), s.manifestCount(), s.lastPushed(),
                s.exclusiveBytes(), s.sharedBytes()));
    }

    /**
     * One page of tags, newest push first or by name. An image's platform is its
     * {@code manifests.platform}; an index's come from its bytes (one more query for the page's
     * indexes), and images whose column is still NULL are looked up once ({@link #recordPlatforms}).
     */
    TagPage tags(Summary repository, String query, boolean byName, int page) {
        TagRows.Page found = tags.page(repository.id(), repository.tagCount(), query, byName, page, PAGE_SIZE);
        List<Long> indexIds = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        Map<Long, List<String>> platforms = new HashMap<>();
        for (TagRows.Row r : found.rows()) {
            if (r.mediaType().isIndex()) {
                indexIds.add(r.manifestId());
            } else if (r.platform() == null) {
                unknown.add(r.manifestId());
            } else if (!r.platform().isEmpty()) {
                platforms.put(r.manifestId(), List.of(r.platform()));
            }
        }
        platforms.putAll(tags.platformsOfIndexes(indexIds));
        recordPlatforms(RepositoryName.of(repository.name()), unknown).forEach((id, p) -> platforms.put(id, p.isEmpty() ? List.of() : List.of(p)));
        List<TagRow> rows = found.rows().stream().map(r -> new TagRow(r.tag().value(), r.digest().toString(), r.mediaType().value(),
                indexIds.contains(r.manifestId()), platforms.getOrDefault(r.manifestId(), List.of()), r.sizeBytes(),
                r.pushedAt(), r.artifactType())).toList();
        return new TagPage(rows, found.matching(), found.page(), found.pages());
    }

    /**
     * The platform of image manifests not looked up yet (pushed before the column existed, or not
     * listed since their push), from their config blobs, kept in {@code manifests.platform} ("" for
     * none): each manifest's config is read once, and later pages read the column only. A config
     * that cannot be read now (the repository does not link it, an I/O error) stays NULL (tried
     * again by the next page); a write that fails leaves the page as it is, with the platforms found.
     */
    private Map<Long, String> recordPlatforms(RepositoryName repository, List<Long> manifestIds) {
        Map<Long, String> found = new TreeMap<>(); // in id order: concurrent pages lock rows in one order
        if (manifestIds.isEmpty()) {
            return found;
        }
        Set<Long> withConfig = new HashSet<>();
        for (TagRows.Config c : tags.configsOf(manifestIds)) {
            withConfig.add(c.manifestId());
            configPlatforms.column(repository, c.digest(), c.mediaType().value(), c.size()).ifPresent(p -> found.put(c.manifestId(), p));
        }
        manifestIds.stream().filter(id -> !withConfig.contains(id)).forEach(id -> found.put(id, "")); // no config at all
        try {
            tags.keepPlatforms(found);
        } catch (DataAccessException e) {
            log.warn("could not keep the platforms of manifests {}: {}", found.keySet(), e.getMessage());
        }
        return found;
    }

    /** The tags of a repository pointing at one manifest. */
    List<String> tagsOf(long repositoryId, Digest digest) {
        return tags.tagsOf(repositoryId, digest).stream().map(Tag::value).toList();
    }

    /** Every tag name of a repository (for the compare form), capped. */
    List<String> tagNames(long repositoryId, int max) {
        return tags.tagNames(repositoryId, max).stream().map(Tag::value).toList();
    }
}
