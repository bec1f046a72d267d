package dev.berth.registry.distribution;

import static dev.berth.registry.distribution.OciClient.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Many clients at once: the same blob, the same tag, the same new repository. */
class ConcurrencyIT extends OciSpecTest {

    private static final int CLIENTS = 12;

    /** Runs {@code work(i)} for every client at the same moment and collects the answers. */
    private static List<OciClient.Response> together(IntFunction<OciClient.Response> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<OciClient.Response>> futures = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                Callable<OciClient.Response> task = () -> {
                    start.await();
                    return work.apply(client);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<OciClient.Response> answers = new ArrayList<>();
            for (Future<OciClient.Response> f : futures) {
                answers.add(f.get(120, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertAll(List<OciClient.Response> answers, int status) {
        for (OciClient.Response r : answers) {
            assertThat(r.status()).as(r.text()).isEqualTo(status);
        }
    }

    @Test
    void manyClientsPushingTheSameBlobStoreItOnce() throws Exception {
        String repo = uniqueName("concurrent-blob");
        byte[] content = randomBytes(200_000);
        String digest = OciClient.sha256(content);

        List<OciClient.Response> answers = together(i -> registry().post("/v2/" + repo + "/blobs/uploads/?digest=" + digest,
                content, "Content-Type", "application/octet-stream"));

        assertAll(answers, 201);
        assertThat(registry().get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
        String hex = digest.substring("sha256:".length());
        assertThat(filesUnder(DATA_DIR.resolve("blobs")).stream().filter(p -> p.getFileName().toString().contains(hex)))
                .containsExactly(blobFile(digest));
    }

    @Test
    void manyClientsUploadingTheSameBlobInChunksStoreItOnce() throws Exception {
        String repo = uniqueName("concurrent-chunks");
        byte[] content = randomBytes(100_000);
        String digest = OciClient.sha256(content);

        List<OciClient.Response> answers = together(i -> {
            String location = registry().startUpload(repo);
            registry().patch(location, content, "Content-Type", "application/octet-stream", "Content-Range", "0-99999");
            return registry().put(location + "?digest=" + digest, null);
        });

        assertAll(answers, 201);
        assertThat(registry().get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void manyClientsTaggingDifferentManifestsLeaveTheTagOnOneOfThem() throws Exception {
        String repo = uniqueName("concurrent-tag");
        OciClient.Blob layer = registry().pushBlob(repo, randomBytes(100));
        List<byte[]> manifests = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            OciClient.Blob config = registry().pushBlob(repo, OciClient.utf8("{\"client\":" + i + "}"));
            manifests.add(OciClient.imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, config, OciClient.OCI_LAYER, layer));
        }

        List<OciClient.Response> answers = together(i -> registry().putManifest(repo, "race", OciClient.OCI_MANIFEST, manifests.get(i)));

        assertAll(answers, 201);
        Set<String> pushed = new HashSet<>();
        manifests.forEach(m -> pushed.add(OciClient.sha256(m)));
        OciClient.Response tagged = registry().get("/v2/" + repo + "/manifests/race");
        assertThat(tagged.status()).isEqualTo(200);
        assertThat(pushed).contains(tagged.header("Docker-Content-Digest"));
        assertThat(OciClient.sha256(tagged.body())).isEqualTo(tagged.header("Docker-Content-Digest"));
        assertThat(registry().get("/v2/" + repo + "/tags/list").json().get("tags").toString()).isEqualTo("[\"race\"]");
        for (byte[] m : manifests) {
            assertThat(registry().head("/v2/" + repo + "/manifests/" + OciClient.sha256(m)).status()).isEqualTo(200);
        }
    }

    @Test
    void manyClientsPushingTheSameManifestUnderDifferentTags() throws Exception {
        String repo = uniqueName("concurrent-manifest");
        OciClient.Image image = registry().pushImage(repo, "base");

        List<OciClient.Response> answers = together(i -> registry().putManifest(repo, "t" + i, OciClient.OCI_MANIFEST, image.manifest()));

        assertAll(answers, 201);
        answers.forEach(r -> assertThat(r.header("Docker-Content-Digest")).isEqualTo(image.digest()));
        assertThat(registry().get("/v2/" + repo + "/tags/list").json().get("tags").size()).isEqualTo(CLIENTS + 1);
    }

    @Test
    void manyClientsCreatingTheSameRepositoryAtOnce() throws Exception {
        String repo = uniqueName("concurrent-repo");

        List<OciClient.Response> answers = together(i -> i % 2 == 0
                ? registry().post("/v2/" + repo + "/blobs/uploads/", null)
                : registry().post("/v2/" + repo + "/blobs/uploads/?digest=" + OciClient.sha256(OciClient.utf8("blob " + i)),
                        OciClient.utf8("blob " + i), "Content-Type", "application/octet-stream"));

        Set<String> uploads = new HashSet<>();
        for (int i = 0; i < CLIENTS; i++) {
            OciClient.Response r = answers.get(i);
            assertThat(r.status()).as(r.text()).isEqualTo(i % 2 == 0 ? 202 : 201);
            if (i % 2 == 0) {
                uploads.add(r.header("Docker-Upload-UUID"));
                assertThat(registry().get(r.header("Location")).status()).isEqualTo(204);
            } else {
                assertThat(registry().get(r.header("Location")).text()).isEqualTo("blob " + i);
            }
        }
        assertThat(uploads).hasSize(CLIENTS / 2);
        assertThat(registry().get("/v2/" + repo + "/tags/list").status()).isEqualTo(200);
    }
}
