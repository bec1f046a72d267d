package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.testing.DatabaseNeutral;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16, stateless replicas: two {@code berth serve} processes on one PostgreSQL schema and
 * one data directory, as behind a load balancer. An upload whose requests go to alternate
 * replicas (POST on one, PATCHes on both, PUT on the other) completes with the right digest, and
 * what one replica stored the other serves; skopeo pushes and pulls through nginx, which sends
 * each request to the next replica; a password reset beside two serving replicas is refused by
 * both within seconds (each remembers a sign-in for five); and a replica killed mid-upload loses
 * nothing it acknowledged, the client's retry through nginx finishing on the other. Always on PostgreSQL (replicas need a database several
 * processes share), so it runs once, in the H2 execution, and is tagged database-neutral.
 */
@DatabaseNeutral
@Timeout(600)
class ReplicasIT {

    private static Path work;
    private static BerthProcess a;
    private static BerthProcess b;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "replicas-");
        a = BerthProcess.startOnPostgres("replica-a");
        b = BerthProcess.replicaOf(a, "replica-b");
    }

    @AfterAll
    static void stop() throws Exception {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        TestFiles.deleteRecursively(work);
    }

    @Test
    void anUploadWhoseRequestsAlternateBetweenReplicasCompletes() throws Exception {
        byte[] blob = new byte[3 * 1024 * 1024 + 17];
        ThreadLocalRandom.current().nextBytes(blob);
        Digest digest = Digest.sha256(blob);
        String repo = "replicas/alternate";

        HttpResponse<String> posted = send(a, "POST", "/v2/" + repo + "/blobs/uploads/", null, null);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        String location = posted.headers().firstValue("Location").orElseThrow();

        int third = blob.length / 3;
        location = patch(b, location, blob, 0, third);
        location = patch(a, location, blob, third, 2 * third);
        HttpResponse<String> status = send(b, "GET", location, null, null);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).hasValue("0-" + (2 * third - 1));
        location = patch(b, location, blob, 2 * third, blob.length);

        HttpResponse<String> put = send(a, "PUT", location + (location.contains("?") ? "&" : "?") + "digest=" + digest, null, null);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

        for (BerthProcess replica : List.of(a, b)) {
            HttpResponse<byte[]> pulled = http.send(HttpRequest.newBuilder(replica.uri("/v2/" + repo + "/blobs/" + digest)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(pulled.statusCode()).isEqualTo(200);
            assertThat(Digest.sha256(pulled.body())).isEqualTo(digest);
        }

        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}";
        Digest configDigest = Digest.sha256(config.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> configPush = send(b, "POST", "/v2/" + repo + "/blobs/uploads/?digest=" + configDigest, config,
                "application/octet-stream");
        assertThat(configPush.statusCode()).isEqualTo(201);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":"
                + config.length() + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                + digest + "\",\"size\":" + blob.length + "}]}";
        assertThat(send(a, "PUT", "/v2/" + repo + "/manifests/v1", manifest, "application/vnd.oci.image.manifest.v1+json").statusCode())
                .isEqualTo(201);
        HttpResponse<String> got = send(b, "GET", "/v2/" + repo + "/manifests/v1", null, null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(manifest);
        assertThat(send(b, "DELETE", "/v2/" + repo + "/manifests/v1", null, null).statusCode()).isEqualTo(202);
        assertThat(send(a, "GET", "/v2/" + repo + "/manifests/v1", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void skopeoPushesAndPullsThroughNginxInFrontOfBothReplicas() throws Exception {
        Skopeo skopeo = Skopeo.require(work);
        try (Nginx nginx = Nginx.roundRobin(work.resolve("nginx"), List.of(a.hostPort(), b.hostPort()))) {
            TestImage image = TestImages.ociLayout(work.resolve("layout"), "replicas " + work.getFileName(), "v1");
            String pushed = skopeo.copy(image.ociReference(), "docker://" + nginx.hostPort() + "/replicas/app:v1", "--dest-tls-verify=false");
            String pulled = skopeo.copy("docker://" + nginx.hostPort() + "/replicas/app:v1", "oci:" + work.resolve("pulled") + ":v1",
                    "--src-tls-verify=false");
            assertThat(pulled).isEqualTo(pushed);
            List<String> requests = nginx.upstreamsUsed();
            // Both replicas served the push's requests (round robin), so its upload crossed them.
            assertThat(requests.stream().filter(r -> r.contains(a.hostPort()))).as(String.join("\n", requests)).isNotEmpty();
            assertThat(requests.stream().filter(r -> r.contains(b.hostPort()))).as(String.join("\n", requests)).isNotEmpty();
            assertThat(requests).as("no request failed on a replica").noneMatch(r -> r.split(" ")[2].startsWith("5"));
        }
    }

    @Test
    void aPasswordResetBesideTwoServingReplicasIsRefusedByBothWithinSeconds() throws Exception {
        String old = "replica-admin-" + work.getFileName();
        try (BerthProcess x = BerthProcess.startOnPostgres("replica-auth-a", "-Dberth.auth.mode=token", "-Dberth.auth.admin-password=" + old);
             BerthProcess y = BerthProcess.replicaOf(x, "replica-auth-b", "-Dberth.auth.mode=token", "-Dberth.auth.admin-password=" + old)) {
            // Each server now remembers the successful sign-in.
            assertThat(basicV2(x, old)).isEqualTo(200);
            assertThat(basicV2(y, old)).isEqualTo(200);

            List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", System.getProperty("berth.jar"), "admin", "reset-password", "admin",
                    "--data-dir", x.dataDir().toString()));
            command.addAll(x.databaseArguments());
            Exec.Result reset = Exec.of(command).directory(x.dataDir()).timeout(Duration.ofMinutes(3)).run();
            assertThat(reset.exitCode()).as(reset.describe()).isZero();
            String password = reset.stdout().strip();

            // Neither server changed anything itself: each must notice the database's new password.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((basicV2(x, old) != 401 || basicV2(y, old) != 401) && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertThat(basicV2(x, old)).as("the old password on the first server").isEqualTo(401);
            assertThat(basicV2(y, old)).as("the old password on the second server").isEqualTo(401);
            assertThat(basicV2(x, password)).isEqualTo(200);
            assertThat(basicV2(y, password)).isEqualTo(200);
        }
    }

    @Test
    void aReplicaKilledMidUploadLosesNothingItAcknowledged() throws Exception {
        try (BerthProcess x = BerthProcess.startOnPostgres("replica-kill-a");
             BerthProcess y = BerthProcess.replicaOf(x, "replica-kill-b");
             Nginx nginx = Nginx.roundRobin(work.resolve("nginx-kill"), List.of(x.hostPort(), y.hostPort()))) {
            byte[] blob = new byte[2 * 1024 * 1024 + 5];
            ThreadLocalRandom.current().nextBytes(blob);
            Digest digest = Digest.sha256(blob);
            String repo = "replicas/killed";
            URI front = URI.create("http://" + nginx.hostPort());
            HttpResponse<String> posted = retried(() -> http.send(HttpRequest.newBuilder(front.resolve("/v2/" + repo + "/blobs/uploads/"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()), 202);
            String location = posted.headers().firstValue("Location").orElseThrow();
            int half = blob.length / 2;
            HttpResponse<String> first = retried(() -> http.send(HttpRequest.newBuilder(front.resolve(location))
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(blob, 0, half)))
                    .header("Content-Type", "application/octet-stream").header("Content-Range", "0-" + (half - 1)).build(),
                    HttpResponse.BodyHandlers.ofString()), 202);
            String next = first.headers().firstValue("Location").orElseThrow();

            // The first half is acknowledged; the server that took it dies as a crash does.
            x.kill();

            // nginx does not resend a PATCH to the other server by itself (it is not idempotent): the
            // client tries again, as docker and containerd do, until a live server answers.
            HttpResponse<String> second = retried(() -> http.send(HttpRequest.newBuilder(front.resolve(next))
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(blob, half, blob.length)))
                    .header("Content-Type", "application/octet-stream").header("Content-Range", half + "-" + (blob.length - 1)).build(),
                    HttpResponse.BodyHandlers.ofString()), 202);
            String last = second.headers().firstValue("Location").orElseThrow();
            retried(() -> http.send(HttpRequest.newBuilder(front.resolve(last + (last.contains("?") ? "&" : "?") + "digest=" + digest))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()), 201);
            HttpResponse<byte[]> pulled = http.send(HttpRequest.newBuilder(y.uri("/v2/" + repo + "/blobs/" + digest)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(pulled.statusCode()).isEqualTo(200);
            assertThat(Digest.sha256(pulled.body())).isEqualTo(digest);
        }
    }

    interface Call {
        HttpResponse<String> send() throws Exception;
    }

    /** Sends until the answer is {@code expected}; a 502 (nginx found the server dead) is tried again, anything else fails. */
    private static HttpResponse<String> retried(Call call, int expected) throws Exception {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r = call.send();
            if (r.statusCode() == expected) {
                return r;
            }
            assertThat(r.statusCode()).as("attempt %d: %s", attempt, r.body()).isEqualTo(502);
            assertThat(attempt).as("attempts answered 502").isLessThan(20);
        }
    }

    private static int basicV2(BerthProcess berth, String password) throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(berth.uri("/v2/")).header("Authorization", "Basic " + basic)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String patch(BerthProcess replica, String location, byte[] blob, int from, int to) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(target(replica, location))
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(blob, from, to)))
                        .header("Content-Type", "application/octet-stream")
                        .header("Content-Range", from + "-" + (to - 1)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("PATCH %d-%d on %s: %s", from, to - 1, replica.hostPort(), r.body()).isEqualTo(202);
        assertThat(r.headers().firstValue("Range")).hasValue("0-" + (to - 1));
        return r.headers().firstValue("Location").orElseThrow();
    }

    private static HttpResponse<String> send(BerthProcess replica, String method, String pathOrLocation, String body, String type)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(target(replica, pathOrLocation))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            request.header("Content-Type", type);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A Location may be absolute (naming the replica that answered) or a path: either way, sent to {@code replica}. */
    private static URI target(BerthProcess replica, String pathOrLocation) {
        URI uri = URI.create(pathOrLocation);
        return replica.uri(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }
}
