package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.StatsOracle;
import dev.berth.testing.TestDatabase;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How long a page of the tag list of a repository with 100,000 tags, and a page of a catalog of
 * 100,000 repositories, take over HTTP. A benchmark, not a test: it asserts only that each page
 * answers 200 with the entries it should, and prints (and writes to
 * target/bench/list-latency-DATABASE.txt) the median and 95th percentile of each request.
 * Run it with bench/list-latency.sh. The metadata is written straight into the database, as a
 * registry that has seen that many pushes would hold it.
 */
class ListLatencyBench extends RegistryIntegrationTest {

    private static final int TAGS = 100_000;
    private static final int REPOSITORIES = 100_000;
    private static final String BIG = "bench/tags";
    private static final int WARM_UP = 20;
    private static final int RUNS = 50;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void listLatencies() throws Exception {
        long seeded = System.nanoTime();
        seed();
        StringBuilder report = new StringBuilder(String.format("database: %s, java %s, %d cores%n",
                TestDatabase.isPostgres() ? "postgresql" : "h2", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
        report.append(String.format("seeded a repository of %,d tags and %,d more repositories in %d s%n",
                TAGS, REPOSITORIES, (System.nanoTime() - seeded) / 1_000_000_000));
        report.append(String.format("load average before: %.1f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        report.append(String.format("%-60s %8s %10s %10s%n", "request", "entries", "median ms", "p95 ms"));
        String tags = "/v2/" + BIG + "/tags/list";
        List<Page> pages = List.of(
                new Page(tags, 1000, tag(0)),
                new Page(tags + "?n=100", 100, tag(0)),
                new Page(tags + "?n=1000&last=" + tag(TAGS / 2), 1000, tag(TAGS / 2 + 1)),
                new Page(tags + "?n=1000&last=" + tag(TAGS - 501), 500, tag(TAGS - 500)),
                new Page("/v2/_catalog", 1000, repository(0)),
                new Page("/v2/_catalog?n=100", 100, repository(0)),
                new Page("/v2/_catalog?n=1000&last=" + repository(REPOSITORIES / 2), 1000, repository(REPOSITORIES / 2 + 1)),
                // the last 500 repositories, then bench/tags
                new Page("/v2/_catalog?n=1000&last=" + repository(REPOSITORIES - 501), 501, repository(REPOSITORIES - 500)));
        for (Page page : pages) { // each request once first, so that the first one timed does not pay for the JIT
            fetch(page);
        }
        for (Page page : pages) {
            double[] ms = time(page);
            report.append(String.format("%-60s %8d %10.1f %10.1f%n", page.path(), page.entries(), ms[0], ms[1]));
        }
        report.append(String.format("load average after: %.1f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        System.out.print(report);
        Path out = Path.of("target", "bench", "list-latency-" + (TestDatabase.isPostgres() ? "postgresql" : "h2") + ".txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
    }

    /** One request: its path, how many entries its answer holds, and the first of them. */
    private record Page(String path, int entries, String first) {
    }

    private static String tag(int i) {
        return String.format("build-%06d", i);
    }

    private static String repository(int i) {
        return String.format("bench/repo-%06d", i);
    }

    private void seed() {
        Timestamp now = Timestamp.from(Instant.now());
        String digest = "sha256:" + "ab".repeat(32);
        byte[] content = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}"
                .getBytes(StandardCharsets.UTF_8);
        List<Object[]> repos = new ArrayList<>();
        List<Object[]> manifests = new ArrayList<>();
        repos.add(new Object[] {3_000_000L, BIG, now});
        manifests.add(new Object[] {3_000_000L, 3_000_000L, digest, "application/vnd.oci.image.manifest.v1+json", null, content.length, content, now});
        for (int r = 0; r < REPOSITORIES; r++) {
            repos.add(new Object[] {4_000_000L + r, repository(r), now});
            manifests.add(new Object[] {4_000_000L + r, 4_000_000L + r, digest, "application/vnd.oci.image.manifest.v1+json", null,
                    content.length, content, now});
        }
        jdbc.batchUpdate("insert into repositories (id, name, created_at) values (?, ?, ?)", repos);
        jdbc.batchUpdate("""
                insert into manifests (id, repository_id, digest, media_type, artifact_type, size_bytes, content, pushed_at)
                values (?, ?, ?, ?, ?, ?, ?, ?)""", manifests);
        List<Object[]> tags = new ArrayList<>();
        for (int t = 0; t < TAGS; t++) {
            tags.add(new Object[] {3_000_000L + t, 3_000_000L, tag(t), 3_000_000L, now});
        }
        jdbc.batchUpdate("insert into tags (id, repository_id, name, manifest_id, updated_at) values (?, ?, ?, ?, ?)", tags);
        StatsOracle.rebuild(jdbc); // what the pushes would have kept in repository_stats
        if (TestDatabase.isPostgres()) {
            // Rows inserted in bulk a second ago have no statistics yet (autovacuum analyzes rows that
            // arrive a push at a time), and the planner would take the tables for empty.
            jdbc.execute("analyze");
        }
    }

    private HttpResponse<String> fetch(Page page) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(page.path())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(page.path()).isEqualTo(200);
        String[] entries = r.body().substring(r.body().indexOf('[') + 1, r.body().lastIndexOf(']')).split(",");
        assertThat(entries).as(page.path()).hasSize(page.entries());
        assertThat(entries[0]).as(page.path()).isEqualTo("\"" + page.first() + "\"");
        return r;
    }

    /** Median and 95th percentile in ms, each request after a write, as a registry taking pushes sees it. */
    private double[] time(Page page) throws Exception {
        double[] samples = new double[RUNS];
        for (int i = -WARM_UP; i < RUNS; i++) {
            pushHappened();
            long start = System.nanoTime();
            fetch(page);
            if (i >= 0) {
                samples[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(samples);
        return new double[] {samples[RUNS / 2], samples[(int) Math.ceil(RUNS * 0.95) - 1]};
    }

    /** H2 answers a repeated query from its last result while none of its tables changed. */
    private void pushHappened() {
        jdbc.update("update repositories set created_at = created_at where id = 3000000");
        jdbc.update("update manifests set pushed_at = pushed_at where id = 3000000");
        jdbc.update("update tags set updated_at = updated_at where id = 3000000");
    }
}
