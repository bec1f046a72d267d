package dev.berth.registry.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.StatsOracle;
import dev.berth.testing.StatsOracle.Row;
import dev.berth.testing.TarBuilder;
import dev.berth.testing.TestImageBuilder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * repository_stats is kept right by the API's own pushes, tag moves and deletes, alone and with
 * several clients at once: after each step the rows equal the aggregates computed from scratch.
 */
class RepositoryStatsIT extends RegistryIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    static TestImageBuilder image(String marker) {
        return image("stats", marker);
    }

    /** Images with the same {@code base} share their first layer, across repositories too. */
    static TestImageBuilder image(String base, String marker) {
        return new TestImageBuilder()
                .layer("ADD base", new TarBuilder().dir("etc").file("etc/os-release", "ID=" + base + "\n"))
                .layer("ADD " + marker, new TarBuilder().file(marker + ".txt", marker.repeat(50)))
                .env("MARKER=" + marker);
    }

    @Test
    void pushRetagMoveAndDeleteKeepTheRowRight() throws Exception {
        String name = uniqueName("stats-one");
        TestImageBuilder.Pushed a = image(name, "a").push(http, this::uri, name, "1.0"); // nothing shared with other tests
        Row first = assertRight(name);
        assertThat(first.tagCount()).isEqualTo(1);
        assertThat(first.manifestCount()).isEqualTo(1);
        assertThat(first.sizeBytes()).isPositive().isEqualTo(first.ownedBytes());
        assertThat(first.sharedBytes()).isZero();
        assertThat(first.lastPushed()).isNotNull();

        image(name, "a").push(http, this::uri, name, "1.1"); // the same manifest under a second tag
        Row retagged = assertRight(name);
        assertThat(retagged.tagCount()).isEqualTo(2);
        assertThat(retagged.manifestCount()).isEqualTo(1);
        assertThat(retagged.sizeBytes()).isEqualTo(first.sizeBytes());
        assertThat(retagged.lastPushed()).isAfterOrEqualTo(first.lastPushed());

        TestImageBuilder.Pushed b = image(name, "b").push(http, this::uri, name, "1.1"); // the tag moves to a new manifest
        Row moved = assertRight(name);
        assertThat(moved.tagCount()).isEqualTo(2);
        assertThat(moved.manifestCount()).isEqualTo(2);
        assertThat(moved.sizeBytes()).isGreaterThan(first.sizeBytes());

        assertThat(delete("/v2/" + name + "/manifests/1.0")).isEqualTo(202);
        assertThat(assertRight(name).tagCount()).isEqualTo(1);
        assertThat(delete("/v2/" + name + "/manifests/" + b.digest())).isEqualTo(202); // takes tag 1.1 with it
        Row afterDelete = assertRight(name);
        assertThat(afterDelete.tagCount()).isZero();
        assertThat(afterDelete.manifestCount()).isEqualTo(1);
        assertThat(delete("/v2/" + name + "/manifests/" + a.digest())).isEqualTo(202);
        Row empty = assertRight(name);
        assertThat(empty.manifestCount()).isZero();
        assertThat(empty.lastPushed()).isNull();
        assertThat(empty.sizeBytes()).isEqualTo(moved.sizeBytes()); // blobs stay linked until deleted themselves

        assertThat(delete("/v2/" + name + "/blobs/" + b.layerDigests().get(1))).isEqualTo(202);
        assertThat(assertRight(name).sizeBytes()).isLessThan(moved.sizeBytes());
    }

    @Test
    void sharingAndOwnershipFollowLinksAcrossRepositories() throws Exception {
        String first = uniqueName("stats-share");
        String second = uniqueName("stats-share");
        String third = uniqueName("stats-share");
        TestImageBuilder.Pushed a = image("shared").push(http, this::uri, first, "1");
        image("shared").push(http, this::uri, second, "1"); // every blob is now in two repositories
        assertRight(first);
        Row secondRow = assertRight(second);
        assertThat(secondRow.sharedBytes()).isEqualTo(secondRow.sizeBytes());
        assertThat(secondRow.ownedBytes()).isZero();

        String layer = a.layerDigests().get(0);
        assertThat(post("/v2/" + third + "/blobs/uploads/?mount=" + layer + "&from=" + first)).isEqualTo(201);
        assertRight(third);
        assertThat(delete("/v2/" + first + "/blobs/" + layer)).isEqualTo(202); // ownership passes on
        assertThat(delete("/v2/" + second + "/blobs/" + a.configDigest())).isEqualTo(202); // the config is first's alone again
        Row firstRow = assertRight(first);
        assertRight(second);
        assertRight(third);
        assertThat(firstRow.sharedBytes()).isLessThan(firstRow.sizeBytes());
    }

    @Test
    void concurrentPushesAndMountsLoseNothing() throws Exception {
        String name = uniqueName("stats-busy");
        List<String> others = List.of(uniqueName("stats-mnt"), uniqueName("stats-mnt"), uniqueName("stats-mnt"));
        TestImageBuilder.Pushed base = image("base").push(http, this::uri, name, "base");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 8; i++) {
                        // new manifests, new tags, tags moved by other threads, the same manifest again
                        image("m" + (i % 4)).push(http, this::uri, name, "t" + ((thread + i) % 10));
                        if (i % 3 == 0) {
                            String target = others.get((thread + i) % others.size());
                            post("/v2/" + target + "/blobs/uploads/?mount=" + base.layerDigests().get(i % 2) + "&from=" + name);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        Row busy = assertRight(name);
        assertThat(busy.tagCount()).isEqualTo(11); // base, t0..t9
        assertThat(busy.manifestCount()).isEqualTo(5);
        others.forEach(this::assertRight);
    }

    @Test
    void deletesRacingPushesLoseNothing() throws Exception {
        String name = uniqueName("stats-churn");
        List<TestImageBuilder.Pushed> images = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            images.add(image("c" + i).push(http, this::uri, name, "seed" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                work.add(pool.submit(() -> { // pushers: tags and manifests come (back)
                    for (int i = 0; i < 10; i++) {
                        image("c" + ((thread + i) % 3)).push(http, this::uri, name, "t" + (i % 4));
                    }
                    return null;
                }));
                work.add(pool.submit(() -> { // deleters: tags and whole manifests go (404s are fine)
                    for (int i = 0; i < 10; i++) {
                        delete("/v2/" + name + "/manifests/" + (i % 3 == 0 ? images.get((thread + i) % 3).digest() : "t" + (i % 4)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertRight(name);
    }

    private Row assertRight(String repository) {
        Row actual = StatsOracle.actual(jdbc, repository);
        assertThat(actual).as(repository).isEqualTo(StatsOracle.expected(jdbc, repository));
        return actual;
    }

    private int delete(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private int post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
