package dev.berth.registry.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.RepositoryName;
import dev.berth.registry.metadata.CatalogRows.Page;
import dev.berth.registry.metadata.CatalogRows.Row;
import dev.berth.registry.metadata.CatalogRows.Sort;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The listed repositories on a migrated H2: the home page's pages and totals, and /v2/_catalog's filtered page. */
class CatalogRowsTest {

    private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");

    private final MetadataFixture db = new MetadataFixture();

    private static List<String> names(Page page) {
        return page.rows().stream().map(Row::name).map(RepositoryName::value).toList();
    }

    @Test
    void aRepositoryWithoutAManifestIsListedNeitherOnTheHomePageNorInTheV2Catalog() {
        long app = db.repository("app", T0);
        db.image(app, "1.0", "config", "layer", T0);
        long abandoned = db.repository("abandoned", T0); // what starting an upload leaves when it is never finished
        db.blobs.insertSession("session-1", abandoned, T0);
        db.blob(db.repository("blobs-only", T0), "a blob, never in a manifest", T0);

        Page everything = db.catalog.page(null, Sort.NAME, 1, 50, null, Map.of());
        assertThat(names(everything)).containsExactly("app");
        assertThat(everything.matching()).isEqualTo(1);
        assertThat(names(db.catalog.page("b", Sort.NAME, 1, 50, null, Map.of()))).isEmpty(); // the scanning path too
        assertThat(names(db.catalog.page(null, Sort.NAME, 1, 50, "1 = 1", Map.of()))).containsExactly("app");
        assertThat(db.catalog.v2Page("", 10, "1 = 1", Map.of())).containsExactly(RepositoryName.of("app"));
        assertThat(db.catalog.totals().repositories()).isEqualTo(1);
        // the blob nobody lists is still stored, and counted as such
        assertThat(db.catalog.totals().storedBytes()).isEqualTo("config".length() + "layer".length() + "a blob, never in a manifest".length());
    }

    @Test
    void deletingTheLastManifestUnlistsTheRepository() {
        long app = db.repository("app", T0);
        var digest = db.image(app, "1.0", "config", "layer", T0);
        db.stats.deleted(app, 1, db.manifests.deleteManifest(app, digest).orElseThrow());

        assertThat(names(db.catalog.page(null, Sort.NAME, 1, 50, null, Map.of()))).isEmpty();
        assertThat(db.catalog.v2Page("", 10, "1 = 1", Map.of())).isEmpty();
    }

    @Test
    void anAccessConditionCutsThePageItsCountAndTheV2Page() {
        for (String name : List.of("team/a", "team/b", "other/c", "team/d")) {
            db.image(db.repository(name, T0), "1.0", "config of " + name, "layer of " + name, T0);
        }
        Map<String, Object> params = Map.of("namespace", "team/%");

        Page page = db.catalog.page(null, Sort.NAME, 1, 2, "s.name like :namespace", params);
        assertThat(names(page)).containsExactly("team/a", "team/b");
        assertThat(page.matching()).isEqualTo(3);
        assertThat(page.pages()).isEqualTo(2);
        Page pastTheLast = db.catalog.page(null, Sort.NAME, 9, 2, "s.name like :namespace", params);
        assertThat(pastTheLast.page()).isEqualTo(2);
        assertThat(names(pastTheLast)).containsExactly("team/d");
        assertThat(db.catalog.v2Page("team/a", 10, "r.name like :namespace", params))
                .containsExactly(RepositoryName.of("team/b"), RepositoryName.of("team/d"));
    }

    @Test
    void theSearchMatchesLikeWildcardsLiterallyAndIgnoresCase() {
        db.image(db.repository("my_app", T0), "1.0", "c1", "l1", T0);
        db.image(db.repository("myxapp", T0), "1.0", "c2", "l2", T0);

        assertThat(names(db.catalog.page("Y_A", Sort.NAME, 1, 50, null, Map.of()))).containsExactly("my_app");
        assertThat(names(db.catalog.page("%", Sort.NAME, 1, 50, null, Map.of()))).isEmpty();
    }

    @Test
    void theOrdersAreByNameLastPushAndSize() {
        db.image(db.repository("small", T0), "1.0", "c", "l", T0.plusSeconds(20));
        db.image(db.repository("big", T0), "1.0", "a bigger config", "and a bigger layer", T0);
        db.image(db.repository("medium", T0), "1.0", "config", "layer", T0.plusSeconds(10));

        assertThat(names(db.catalog.page(null, Sort.NAME, 1, 50, null, Map.of()))).containsExactly("big", "medium", "small");
        assertThat(names(db.catalog.page(null, Sort.PUSHED, 1, 50, null, Map.of()))).containsExactly("small", "medium", "big");
        assertThat(names(db.catalog.page(null, Sort.SIZE, 1, 50, null, Map.of()))).containsExactly("big", "medium", "small");
        Row small = db.catalog.page("small", Sort.NAME, 1, 50, null, Map.of()).rows().get(0);
        assertThat(small.tagCount()).isEqualTo(1);
        assertThat(small.sizeBytes()).isEqualTo(2);
        assertThat(small.lastPushed()).isEqualTo(T0.plusSeconds(20));
        assertThat(Sort.of("size")).isEqualTo(Sort.SIZE);
        assertThat(Sort.of("nonsense")).isEqualTo(Sort.NAME);
    }
}
