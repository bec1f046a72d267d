package dev.berth.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.registry.retention.Retention;
import dev.berth.registry.ui.UiSession;
import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.RegistryPusher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Retention over real HTTP (pushes over /v2, dry runs and runs from /admin/retention) on H2 and
 * PostgreSQL, with GC freeing at once what the removed tags alone kept. Tag push times are set
 * back in the database: the rules read {@code tags.updated_at}.
 */
@TestPropertySource(properties = {"berth.gc.review-delay=0s", "berth.gc.interval=1h", "berth.gc.untagged-manifests-after=0s",
        "berth.retention-interval=1h",
        "berth.retention[0].repositories=ret-last/**", "berth.retention[0].keep-last=2",
        "berth.retention[1].repositories=ret-age/**", "berth.retention[1].older-than=1h", "berth.retention[1].keep-tags=keep-.*",
        "berth.retention[2].repositories=ret-both/**", "berth.retention[2].older-than=1h",
        "berth.retention[3].repositories=ret-both/**", "berth.retention[3].keep-last=1",
        "berth.immutable-tags[0].repositories=ret-last/**", "berth.immutable-tags[0].tags=release-.*"})
class RetentionIT extends RegistryIntegrationTest {

    private static final String PAGE = "/admin/retention";
    private static final Pattern REMOVED_ROW = Pattern.compile(
            "<tr class=\"removed\">\\s*<td class=\"mono\">([^<]+)</td>\\s*<td class=\"mono tag\">([^<]+)</td>");
    private static final Pattern SUMMARY = Pattern.compile("The rules would remove (\\d+) tags and free (\\d+) bytes\\.");
    private static final Pattern NOTICE = Pattern.compile("Retention removed (\\d+) tags; GC frees (\\d+) bytes");

    @Autowired
    GarbageCollector gc;

    @Autowired
    Retention retention;

    @Autowired
    JdbcTemplate jdbc;

    /** Made once the port is known: the session sends it as its Origin. */
    private UiSession admin;

    @BeforeEach
    void signedIn() {
        admin = new UiSession(this::uri);
    }

    @AfterEach
    void noHook() {
        retention.beforeRemoving(() -> { });
    }

    @Test
    void keepLastKeepsTheMostRecentlyPushedTagsAndNeverAnImmutableOne() throws Exception {
        String repo = uniqueName("ret-last");
        pushAged(repo, "release-1", 5);
        for (int i = 1; i <= 4; i++) {
            pushAged(repo, "t" + i, 5 - i); // t4 is the newest
        }

        String page = dryRunPage();

        assertThat(removedIn(page, repo)).containsExactlyInAnyOrder("t1", "t2");
        assertThat(page).contains(repo + ":release-1").contains("immutable under berth.immutable-tags[0]");
        runNow();
        assertThat(tagsOf(repo)).containsExactlyInAnyOrder("release-1", "t3", "t4");
    }

    @Test
    void olderThanMakesATagEligibleAndKeepTagsKeepsItAnyway() throws Exception {
        String repo = uniqueName("ret-age");
        pushAged(repo, "old-a", 2);
        pushAged(repo, "keep-b", 2);
        pushAged(repo, "new-c", 0);

        assertThat(removedIn(dryRunPage(), repo)).containsExactly("old-a");
        runNow();
        assertThat(tagsOf(repo)).containsExactlyInAnyOrder("keep-b", "new-c");
    }

    @Test
    void aTagGoesOnlyWhenNoRuleOfItsRepositoryKeepsIt() throws Exception {
        String repo = uniqueName("ret-both");
        pushAged(repo, "a", 3);
        pushAged(repo, "b", 2); // older than 1h under [2], but the newest under [3]'s keep-last 1

        assertThat(removedIn(dryRunPage(), repo)).containsExactly("a");
        runNow();
        assertThat(tagsOf(repo)).containsExactly("b");
    }

    @Test
    void theDryRunListsAndCountsExactlyWhatTheRunRemovesAndGcFreesOnDisk() throws Exception {
        gc.runOnce(); // nothing due left by other tests
        String repo = uniqueName("ret-last");
        String other = uniqueName("ret-last");
        Descriptor shared = blob(repo, randomBytes(30_000));
        byte[] elsewhereBytes = randomBytes(20_000);
        Descriptor elsewhere = blob(repo, elsewhereBytes);
        pushAged(repo, "gone-1", 6, blob(repo, randomBytes(10_000)), shared);
        pushAged(repo, "gone-2", 5, shared, elsewhere); // the shared layer is counted once
        pushAged(repo, "kept-1", 2, blob(repo, randomBytes(5_000)));
        pushAged(repo, "kept-2", 1, blob(repo, randomBytes(5_000)));
        pushAged(other, "only", 1, blob(other, elsewhereBytes)); // another repository keeps it
        Map<Path, Long> before = blobFiles();

        String page = dryRunPage();
        Matcher summary = SUMMARY.matcher(page);
        assertThat(summary.find()).as(page).isTrue();
        List<String> listed = removedAll(page);
        HttpResponse<String> ran = admin.submit(PAGE, PAGE + "/run", Map.of());
        assertThat(ran.statusCode()).isEqualTo(302);
        Matcher notice = NOTICE.matcher(admin.get(PAGE).body());
        assertThat(notice.find()).isTrue();
        gc.runOnce();

        assertThat(removedIn(page, repo)).containsExactlyInAnyOrder("gone-1", "gone-2");
        String storage = admin.get("/admin/storage").body();
        assertThat(storage).as("the Storage page's latest retention run").containsPattern("id=\"retention-run-\\d+\">[\\s\\S]*?"
                + "<td class=\"tags-removed\">" + listed.size() + "</td>\\s*<td title=\"" + summary.group(2) + " bytes\"");
        assertThat(Integer.parseInt(notice.group(1))).isEqualTo(listed.size()).isEqualTo(Integer.parseInt(summary.group(1)));
        long freedOnDisk = before.entrySet().stream().filter(e -> !Files.exists(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        assertThat(freedOnDisk).as("bytes whose files GC deleted").isEqualTo(Long.parseLong(summary.group(2)))
                .isEqualTo(Long.parseLong(notice.group(2)));
        assertThat(Files.exists(file(shared.digest()))).isFalse();
        assertThat(Files.exists(file(elsewhere.digest()))).as("the layer another repository's tag keeps").isTrue();
        for (String entry : listed) {
            String[] t = entry.split(":");
            assertThat(status("/v2/" + t[0] + "/manifests/" + t[1])).as(entry).isEqualTo(404);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'tag.delete' AND target = ?"
                    + " AND detail LIKE 'retention: %'", Integer.class, entry)).as("audit of " + entry).isOne();
        }
        assertThat(tagsOf(repo)).containsExactlyInAnyOrder("kept-1", "kept-2");
        assertThat(admin.get(PAGE).body()).contains("dry run");
    }

    @Test
    void aSecondRunWhileOneHoldsTheLeaseRemovesNothing() throws Exception {
        String repo = uniqueName("ret-last");
        for (int i = 1; i <= 3; i++) {
            pushAged(repo, "t" + i, 4 - i);
        }
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        retention.beforeRemoving(() -> {
            reached.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ExecutorService threads = Executors.newFixedThreadPool(1);
        try {
            Future<Retention.Outcome> first = threads.submit(() -> retention.run("first", "test"));
            assertThat(reached.await(60, TimeUnit.SECONDS)).isTrue();
            retention.beforeRemoving(() -> { });

            Retention.Outcome second = retention.run("second", "test");
            HttpResponse<String> fromUi = admin.submit(PAGE, PAGE + "/run", Map.of());

            assertThat(second.ran()).as("the second run found the lease held").isFalse();
            assertThat(fromUi.statusCode()).isEqualTo(302);
            assertThat(admin.get(PAGE).body()).contains("Another server is running the retention rules");
            release.countDown();
            assertThat(first.get(60, TimeUnit.SECONDS).tagsRemoved()).isGreaterThanOrEqualTo(1);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
        assertThat(tagsOf(repo)).containsExactlyInAnyOrder("t2", "t3");
        assertThat(jdbc.queryForList("SELECT actor FROM audit_events WHERE action = 'tag.delete' AND target = ?", String.class,
                repo + ":t1")).containsExactly("first");
    }

    @Test
    void aTagPushedAgainBetweenThePlanAndTheRemovalStays() throws Exception {
        String repo = uniqueName("ret-age");
        pushAged(repo, "old-a", 2);
        pushAged(repo, "old-b", 2);
        retention.beforeRemoving(() -> pushAged(repo, "old-a", 0)); // a new manifest under the planned tag

        Retention.Outcome outcome = retention.run("test", "test");

        assertThat(outcome.plan().removed()).extracting(e -> e.repository() + ":" + e.tag()).contains(repo + ":old-a", repo + ":old-b");
        assertThat(tagsOf(repo)).containsExactly("old-a");
        assertThat(status("/v2/" + repo + "/manifests/old-b")).isEqualTo(404);
    }

    @Test
    void aRuleSetOnThePageAppliesUntilItIsRemovedAndBothChangesAreAudited() throws Exception {
        String repo = uniqueName("ret-ui");
        pushAged(repo, "older", 2);
        pushAged(repo, "newer", 1);
        admin.submit(PAGE, PAGE, Map.of("repositories", "ret-ui/**", "keepTags", "x.*"));
        assertThat(admin.get(PAGE).body()).contains("A rule needs keep-last or older-than");

        admin.submit(PAGE, PAGE, Map.of("repositories", repo, "keepLast", "1", "olderThan", "30m"));

        String page = admin.get(PAGE).body();
        assertThat(page).contains("Retention rule added: repositories " + repo + ", keep-last 1, older-than PT30M.");
        Matcher rule = Pattern.compile("rule #(\\d+) set in the web UI</td>\\s*<td class=\"mono\">" + Pattern.quote(repo) + "</td>")
                .matcher(page);
        assertThat(rule.find()).as(page).isTrue();
        assertThat(removedIn(dryRunPage(), repo)).containsExactly("older");

        admin.submit(PAGE, PAGE + "/" + rule.group(1) + "/delete", Map.of());

        assertThat(admin.get(PAGE).body()).contains("Removed the rule repositories " + repo + ", keep-last 1, older-than PT30M.");
        assertThat(removedIn(dryRunPage(), repo)).isEmpty();
        runNow();
        assertThat(tagsOf(repo)).containsExactlyInAnyOrder("older", "newer");
        assertThat(jdbc.queryForList("SELECT action FROM audit_events WHERE detail LIKE ?", String.class, "repositories " + repo + ",%"))
                .containsExactlyInAnyOrder("retention.add", "retention.remove");
    }

    // --- helpers

    private String dryRunPage() throws Exception {
        HttpResponse<String> r = admin.submit(PAGE, PAGE + "/dry-run", Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private void runNow() throws Exception {
        assertThat(admin.submit(PAGE, PAGE + "/run", Map.of()).statusCode()).isEqualTo(302);
    }

    private static List<String> removedIn(String page, String repo) {
        return removedAll(page).stream().filter(e -> e.startsWith(repo + ":")).map(e -> e.substring(repo.length() + 1)).toList();
    }

    private static List<String> removedAll(String page) {
        List<String> found = new ArrayList<>();
        Matcher m = REMOVED_ROW.matcher(page);
        while (m.find()) {
            found.add(m.group(1) + ":" + m.group(2));
        }
        return found;
    }

    private List<String> tagsOf(String repo) {
        return jdbc.queryForList("SELECT t.name FROM tags t JOIN repositories r ON r.id = t.repository_id WHERE r.name = ?",
                String.class, repo);
    }

    /** Pushes an image under the tag and sets its push time {@code hoursAgo} back. */
    private void pushAged(String repo, String tag, int hoursAgo, Descriptor... layers) {
        Descriptor[] content = layers.length > 0 ? layers : new Descriptor[] {blob(repo, randomBytes(1000))};
        Descriptor config = blob(repo, ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"nonce\":"
                + ThreadLocalRandom.current().nextLong() + "}").getBytes(StandardCharsets.UTF_8));
        new RegistryPusher(uri("/")).manifest(repo, tag, MediaType.OCI_MANIFEST, GarbageCollectionIT.manifest(config, content));
        Instant at = Instant.now().minus(Duration.ofHours(hoursAgo)).minusSeconds(60);
        jdbc.update("UPDATE tags SET updated_at = ? WHERE name = ? AND repository_id = (SELECT id FROM repositories WHERE name = ?)",
                at.atOffset(ZoneOffset.UTC), tag, repo);
    }

    private Descriptor blob(String repo, byte[] content) {
        return new RegistryPusher(uri("/")).blob(repo, MediaType.OCI_LAYER_GZIP, content);
    }

    private int status(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Map<Path, Long> blobFiles() throws IOException {
        Map<Path, Long> sizes = new HashMap<>();
        try (Stream<Path> files = Files.walk(DATA_DIR.resolve("blobs"))) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    sizes.put(f, Files.size(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return sizes;
    }

    private static Path file(Digest digest) {
        return DATA_DIR.resolve("blobs").resolve(digest.algorithm().name().toLowerCase()).resolve(digest.hex().substring(0, 2))
                .resolve(digest.hex());
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
