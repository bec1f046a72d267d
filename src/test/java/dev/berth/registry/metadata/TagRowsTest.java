package dev.berth.registry.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.Tag;
import dev.berth.registry.metadata.TagRows.Page;
import dev.berth.registry.metadata.TagRows.Row;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The repository page's tag queries on a migrated H2: the page with sizes, its search, and the platforms. */
class TagRowsTest {

    private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");

    private final MetadataFixture db = new MetadataFixture();
    private long app;
    private Digest amd64;
    private Digest arm64;
    private Digest index;

    @BeforeEach
    void pushes() {
        app = db.repository("app", T0);
        amd64 = db.image(app, "1.0-amd64", "amd64 config", "amd64 layer", T0);
        arm64 = db.image(app, "1.0-arm64", "arm64 config", "arm64 layer!", T0.plusSeconds(1));
        index = db.index(app, "1.0", List.of(amd64, arm64), List.of("linux/amd64", "linux/arm64"), T0.plusSeconds(2));
        db.image(app, "latest_x", "other config", "other layer", T0.plusSeconds(3));
    }

    private static List<String> tags(Page page) {
        return page.rows().stream().map(Row::tag).map(Tag::value).toList();
    }

    private long tagCount() {
        return db.stats.summary(dev.berth.oci.RepositoryName.of("app")).orElseThrow().tagCount();
    }

    @Test
    void aPageIsNewestPushFirstOrByNameWithEachManifestsSize() {
        Page newest = db.tags.page(app, tagCount(), null, false, 1, 50);
        assertThat(tags(newest)).containsExactly("latest_x", "1.0", "1.0-arm64", "1.0-amd64");
        assertThat(newest.matching()).isEqualTo(4);
        assertThat(tags(db.tags.page(app, tagCount(), "", true, 1, 50))).containsExactly("1.0", "1.0-amd64", "1.0-arm64", "latest_x");

        Row image = newest.rows().get(2);
        assertThat(image.digest()).isEqualTo(arm64);
        assertThat(image.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
        assertThat(image.sizeBytes()).isEqualTo("arm64 config".length() + "arm64 layer!".length());
        assertThat(image.pushedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(image.platform()).isNull(); // not looked up yet
        Row ofIndex = newest.rows().get(1);
        assertThat(ofIndex.digest()).isEqualTo(index);
        assertThat(ofIndex.sizeBytes()).isEqualTo("amd64 config".length() + "amd64 layer".length() + "arm64 config".length()
                + "arm64 layer!".length());
    }

    @Test
    void aSearchCountsItsMatchesAndAPagePastTheLastShowsTheLast() {
        Page first = db.tags.page(app, tagCount(), "1.0-", true, 1, 1);
        assertThat(tags(first)).containsExactly("1.0-amd64");
        assertThat(first.matching()).isEqualTo(2);
        assertThat(first.pages()).isEqualTo(2);
        Page past = db.tags.page(app, tagCount(), "1.0-", true, 7, 1);
        assertThat(past.page()).isEqualTo(2);
        assertThat(tags(past)).containsExactly("1.0-arm64");
        assertThat(tags(db.tags.page(app, tagCount(), "t_x", true, 1, 50))).containsExactly("latest_x");
        assertThat(tags(db.tags.page(app, tagCount(), "t%x", true, 1, 50))).isEmpty(); // LIKE's wildcards match literally
        assertThat(tags(db.tags.page(app, tagCount(), "LATEST", true, 1, 50))).isEmpty(); // tags are case-sensitive
        Page unfilteredPast = db.tags.page(app, tagCount(), null, true, 9, 3);
        assertThat(unfilteredPast.page()).isEqualTo(2);
        assertThat(tags(unfilteredPast)).containsExactly("latest_x");
    }

    @Test
    void platformsAreKeptOnceAndAnIndexsComeFromItsBytes() {
        long amd64Id = db.manifests.manifestId(app, amd64).orElseThrow();
        long arm64Id = db.manifests.manifestId(app, arm64).orElseThrow();
        assertThat(db.tags.configsOf(List.of(amd64Id))).singleElement().satisfies(c -> {
            assertThat(c.digest()).isEqualTo(Digest.sha256("amd64 config".getBytes()).toString());
            assertThat(c.mediaType()).isEqualTo(MediaType.OCI_CONFIG);
            assertThat(c.size()).isEqualTo("amd64 config".length());
        });

        Map<Long, String> found = new TreeMap<>(Map.of(amd64Id, "linux/amd64", arm64Id, ""));
        db.tags.keepPlatforms(found);
        db.tags.keepPlatforms(Map.of(amd64Id, "linux/s390x")); // only where still NULL
        Page page = db.tags.page(app, tagCount(), null, true, 1, 50);
        assertThat(page.rows()).filteredOn(r -> r.manifestId() == amd64Id).singleElement().extracting(Row::platform).isEqualTo("linux/amd64");
        assertThat(page.rows()).filteredOn(r -> r.manifestId() == arm64Id).singleElement().extracting(Row::platform).isEqualTo("");

        long indexId = db.manifests.manifestId(app, index).orElseThrow();
        assertThat(db.tags.platformsOfIndexes(List.of(indexId, amd64Id)))
                .containsExactly(Map.entry(indexId, List.of("linux/amd64", "linux/arm64")));
    }

    @Test
    void theTagsOfAManifestAndTheTagNamesAreByName() {
        long id = db.manifests.manifestId(app, amd64).orElseThrow();
        db.manifests.setTag(app, Tag.of("stable"), id, T0.plusSeconds(9));

        assertThat(db.tags.tagsOf(app, amd64)).containsExactly(Tag.of("1.0-amd64"), Tag.of("stable"));
        assertThat(db.tags.tagNames(app, 3)).containsExactly(Tag.of("1.0"), Tag.of("1.0-amd64"), Tag.of("1.0-arm64"));
    }
}
