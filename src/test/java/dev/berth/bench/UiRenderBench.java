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
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How long the server takes to render the home page over 10,000 repositories and a repository
 * with 5,000 tags. A benchmark, not a test: it asserts only that the pages answer, and prints
 * (and writes to target/bench/ui-render-DATABASE.txt) the median and 95th percentile of each page,
 * and the median CPU time the JVM spent per render (on a loaded machine wall time is mostly
 * waiting for a core; CPU time is what the render costs).
 * Run it with bench/ui-render.sh. The metadata is written straight into the database, as a
 * registry that has seen that many pushes would hold it.
 */
class UiRenderBench extends RegistryIntegrationTest {

    private static final int REPOSITORIES = 10_000;
    private static final int BIG_REPO_TAGS = 5_000;
    private static final int SHARED_LAYERS = 500;
    private static final int WARM_UP = 10;
    private static final int RUNS = 30;
    /** CPU time of this whole JVM: the server and, with H2, the database (PostgreSQL's is its own). */
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void renderTimes() throws Exception {
        long seeded = System.nanoTime();
        seed();
        StringBuilder report = new StringBuilder(String.format("database: %s, java %s, %d cores%n",
                TestDatabase.isPostgres() ? "postgresql" : "h2", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
        report.append(String.format("seeded %,d repositories and a repository of %,d tags in %d s%n",
                REPOSITORIES, BIG_REPO_TAGS, (System.nanoTime() - seeded) / 1_000_000_000));
        report.append(String.format("load average before: %.1f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        report.append(String.format("%-40s %10s %10s %12s%n", "page", "median ms", "p95 ms", "median cpu ms"));
        List<String> pages = List.of("/", "/?sort=pushed", "/?sort=size", "/?q=team-09", "/?page=150&sort=size",
                "/r/bench/big", "/r/bench/big?sort=name", "/r/bench/big?page=80", "/r/bench/big?q=v4");
        for (String page : pages) { // every page once first, so that the first one timed does not pay for the JIT
            http.send(HttpRequest.newBuilder(uri(page)).build(), HttpResponse.BodyHandlers.discarding());
        }
        for (String page : pages) {
            double[] ms = time(page);
            report.append(String.format("%-40s %10.1f %10.1f %12.1f%n", page, ms[0], ms[1], ms[2]));
        }
        System.out.print(report);
        Path out = Path.of("target", "bench", "ui-render-" + (TestDatabase.isPostgres() ? "postgresql" : "h2") + ".txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
    }

    private double[] time(String page) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(page)).build();
        double[] samples = new double[RUNS];
        double[] cpu = new double[RUNS];
        for (int i = -WARM_UP; i < RUNS; i++) {
            pushHappened();
            long cpuStart = CPU.getProcessCpuTime();
            long start = System.nanoTime();
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long took = System.nanoTime() - start;
            long cpuTook = CPU.getProcessCpuTime() - cpuStart;
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            if (i >= 0) {
                samples[i] = took / 1e6;
                cpu[i] = cpuTook / 1e6;
            }
        }
        Arrays.sort(samples);
        Arrays.sort(cpu);
        return new double[] {samples[RUNS / 2], samples[(int) Math.ceil(RUNS * 0.95) - 1], cpu[RUNS / 2]};
    }

    /**
     * A write to every table the pages read, as a push between two page views would make. H2
     * answers a repeated query from its last result while none of its tables changed, which a
     * registry taking pushes never sees; without this the H2 figures would time that cache.
     */
    private void pushHappened() {
        jdbc.update("update repositories set created_at = created_at where id = 1000000");
        jdbc.update("update repository_stats set tag_count = tag_count where repository_id = 1000000");
        jdbc.update("update tags set updated_at = updated_at where id = 1000000");
        jdbc.update("update manifests set pushed_at = pushed_at where id = 1000000");
        jdbc.update("update manifest_references set ordinal = ordinal where id = 1000000");
        jdbc.update("update blobs set size_bytes = size_bytes where digest = ?", digest("layer", 0));
        jdbc.update("update blob_links set linked_at = linked_at where repository_id = 1000000");
    }

    private void seed() {
        Timestamp now = Timestamp.from(Instant.now());
        List<Object[]> blobs = new ArrayList<>();
        for (int i = 0; i < SHARED_LAYERS; i++) {
            blobs.add(new Object[] {digest("layer", i), 1_000_000L + i * 1000L, now});
        }
        for (int i = 0; i < REPOSITORIES + BIG_REPO_TAGS; i++) {
            blobs.add(new Object[] {digest("config", i), 1500L, now});
        }
        jdbc.batchUpdate("insert into blobs (digest, size_bytes, created_at) values (?, ?, ?)", blobs);

        List<Object[]> repos = new ArrayList<>();
        for (int r = 0; r < REPOSITORIES; r++) {
            repos.add(new Object[] {1_000_000L + r, String.format("bench/team-%05d", r), now});
        }
        repos.add(new Object[] {2_000_000L, "bench/big", now});
        jdbc.batchUpdate("insert into repositories (id, name, created_at) values (?, ?, ?)", repos);

        List<Object[]> manifests = new ArrayList<>();
        List<Object[]> references = new ArrayList<>();
        List<Object[]> tags = new ArrayList<>();
        List<Object[]> links = new ArrayList<>();
        long refId = 1_000_000L;
        long tagId = 1_000_000L;
        for (int i = 0; i < REPOSITORIES + BIG_REPO_TAGS; i++) {
            boolean big = i >= REPOSITORIES;
            long repo = big ? 2_000_000L : 1_000_000L + i;
            long manifest = 1_000_000L + i;
            String config = digest("config", i);
            String[] layers = {digest("layer", i % SHARED_LAYERS), digest("layer", (i * 7 + 3) % SHARED_LAYERS)};
            byte[] content = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"digest\":\""
                    + config + "\"}}").getBytes(StandardCharsets.UTF_8);
            Timestamp pushed = Timestamp.from(Instant.now().minusSeconds(i * 37L % 86_400_000));
            manifests.add(new Object[] {manifest, repo, digest("manifest", i), "application/vnd.oci.image.manifest.v1+json",
                    "application/vnd.oci.image.config.v1+json", content.length, content, pushed});
            references.add(new Object[] {refId++, manifest, 0, "CONFIG", config, "application/vnd.oci.image.config.v1+json", 1500L});
            for (int l = 0; l < layers.length; l++) {
                references.add(new Object[] {refId++, manifest, l + 1, "LAYER", layers[l], "application/vnd.oci.image.layer.v1.tar+gzip",
                        1_000_000L});
            }
            int tagCount = big ? 1 : 1 + i % 3;
            for (int t = 0; t < tagCount; t++) {
                tags.add(new Object[] {tagId++, repo, big ? "v" + (i - REPOSITORIES) : "1." + t, manifest, pushed});
            }
            if (!big || i == REPOSITORIES) {
                links.add(new Object[] {repo, config, now});
                links.add(new Object[] {repo, layers[0], now});
                if (!layers[1].equals(layers[0])) {
                    links.add(new Object[] {repo, layers[1], now});
                }
            } else {
                links.add(new Object[] {repo, config, now});
            }
        }
        jdbc.batchUpdate("""
                insert into manifests (id, repository_id, digest, media_type, artifact_type, size_bytes, content, pushed_at)
                values (?, ?, ?, ?, ?, ?, ?, ?)""", manifests);
        jdbc.batchUpdate("""
                insert into manifest_references (id, manifest_id, ordinal, kind, digest, media_type, size_bytes)
                values (?, ?, ?, ?, ?, ?, ?)""", references);
        jdbc.batchUpdate("insert into tags (id, repository_id, name, manifest_id, updated_at) values (?, ?, ?, ?, ?)", tags);
        jdbc.batchUpdate("insert into blob_links (repository_id, digest, linked_at) values (?, ?, ?)", dedupe(links));
        StatsOracle.rebuild(jdbc); // what the pushes would have kept in repository_stats
        if (TestDatabase.isPostgres()) {
            // Rows that arrive a push at a time get analyzed by autovacuum; rows inserted in bulk a
            // second ago have no statistics yet, and the planner would take the tables for empty.
            jdbc.execute("analyze");
        }
    }

    private static List<Object[]> dedupe(List<Object[]> links) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<Object[]> out = new ArrayList<>();
        for (Object[] l : links) {
            if (seen.add(l[0] + " " + l[1])) {
                out.add(l);
            }
        }
        return out;
    }

    private static String digest(String kind, int i) {
        byte[] hash = dev.berth.oci.Digest.Algorithm.SHA256.newMessageDigest().digest((kind + i).getBytes(StandardCharsets.UTF_8));
        return "sha256:" + HexFormat.of().formatHex(hash);
    }
}
