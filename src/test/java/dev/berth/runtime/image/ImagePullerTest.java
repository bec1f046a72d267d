package dev.berth.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.client.CredentialSource;
import dev.berth.client.RegistryClient;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.runtime.content.ContentStore;
import dev.berth.runtime.snapshot.SnapshotStore;
import dev.berth.runtime.unpack.LayerUnpacker;
import dev.berth.testing.GzipBomb;
import dev.berth.testing.TestImage;
import dev.berth.testing.TestLayer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls from a small registry served here over HTTP (the manifest, config and blob endpoints of the
 * distribution API), which holds each layer download until three are in flight and counts them.
 */
class ImagePullerTest {

    private static final int LAYERS = 4;

    @TempDir
    Path root;

    private HttpServer server;
    private final Map<String, byte[]> blobs = new HashMap<>();
    private final Set<String> layerDigests = new java.util.HashSet<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile String corrupt;
    private byte[] manifest;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v2/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            if (path.endsWith("/manifests/v1")) {
                exchange.getResponseHeaders().add("Content-Type", MediaType.OCI_MANIFEST.value());
                send(exchange, manifest);
                return;
            }
            String digest = path.substring(path.lastIndexOf('/') + 1);
            byte[] blob = blobs.get(digest);
            if (blob == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (layerDigests.contains(digest)) {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (inFlight.get() < 3 && maxInFlight.get() < 3 && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (digest.equals(corrupt)) {
                    blob = blob.clone();
                    blob[blob.length / 2] ^= 1;
                }
                send(exchange, blob);
                inFlight.decrementAndGet();
                return;
            }
            send(exchange, blob);
        }
    }

    private static void send(HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** An image of {@link #LAYERS} gzip layers, each a file of its own. */
    private TestImage image() {
        TestImage image = TestImage.create();
        for (int i = 0; i < LAYERS; i++) {
            image.layer(TestLayer.create().file("layer-" + i, ("content of layer " + i + "\n").repeat(1000), 0644), MediaType.OCI_LAYER_GZIP);
        }
        return serve(image);
    }

    /** Serves the image's blobs and its manifest, tagged v1. */
    private TestImage serve(TestImage image) {
        byte[] config = image.config();
        blobs.put(Digest.sha256(config).toString(), config);
        StringBuilder layers = new StringBuilder();
        for (byte[] blob : image.layerBlobs()) {
            String d = Digest.sha256(blob).toString();
            blobs.put(d, blob);
            layerDigests.add(d);
            layers.append(layers.isEmpty() ? "" : ",").append("{\"mediaType\":\"").append(MediaType.OCI_LAYER_GZIP)
                    .append("\",\"digest\":\"").append(d).append("\",\"size\":").append(blob.length).append('}');
        }
        manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaType.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(config) + "\",\"size\":" + config.length
                + "},\"layers\":[" + layers + "]}").getBytes(StandardCharsets.UTF_8);
        return image;
    }

    private ImageRecord pull() throws IOException {
        return pull(LayerUnpacker.DEFAULT_MAX_UNPACKED_SIZE);
    }

    private ImageRecord pull(long maxUnpackedSize) throws IOException {
        String registry = "127.0.0.1:" + server.getAddress().getPort();
        ImagePuller puller = new ImagePuller(new ContentStore(root), new ImageStore(root),
                new SnapshotStore(root, new LayerUnpacker(false, maxUnpackedSize)),
                r -> RegistryClient.connect(r, CredentialSource.ANONYMOUS, Set.of()));
        return puller.pull(ImageReference.parse(registry + "/team/app:v1"), Platform.host(), PullListener.SILENT);
    }

    private List<String> entries(String dir) throws IOException {
        Path d = root.resolve(dir);
        if (!java.nio.file.Files.isDirectory(d)) {
            return List.of();
        }
        try (var list = java.nio.file.Files.list(d)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void downloadsThreeLayersAtATimeAndUnpacksEachAsItArrives() throws IOException {
        TestImage image = image();

        ImageRecord pulled = pull();

        assertThat(maxInFlight.get()).isEqualTo(3);
        List<Digest> chains = SnapshotStore.chainIds(image.diffIds());
        assertThat(entries("snapshots")).containsExactlyInAnyOrderElementsOf(chains.stream()
                .flatMap(c -> java.util.stream.Stream.of(c.hex(), c.hex() + ".size")).toList());
        for (int i = 0; i < LAYERS; i++) {
            assertThat(root.resolve("snapshots").resolve(chains.get(i).hex()).resolve("layer-" + i))
                    .hasContent(("content of layer " + i + "\n").repeat(1000));
        }
        assertThat(pulled.unpackedSize()).isEqualTo(IntStream.range(0, LAYERS)
                .mapToLong(i -> ("content of layer " + i + "\n").length() * 1000L).sum());
        assertThat(entries("blobs/sha256")).hasSize(LAYERS + 2);
        assertThat(entries("ingest")).isEmpty();
    }

    @Test
    void aCorruptLayerKeepsNothingOfItsOwnAndStopsThePull() throws IOException {
        TestImage image = image();
        String bad = Digest.sha256(image.layerBlobs().get(1)).toString();
        corrupt = bad;

        assertThatThrownBy(this::pull).hasMessageContaining("pull blob " + bad)
                .hasMessageEndingWith("; refused");

        assertThat(root.resolve("blobs/sha256").resolve(bad.substring(7))).doesNotExist();
        assertThat(entries("snapshots").stream().filter(n -> n.startsWith("tmp-")).collect(Collectors.toList())).isEmpty();
        assertThat(entries("snapshots")).doesNotContain(SnapshotStore.chainIds(image.diffIds()).get(1).hex());
        assertThat(entries("ingest")).isEmpty();
        assertThat(new ImageStore(root).list()).isEmpty();
    }

    @Test
    void aLayerThatUnpacksToMoreThanTheLimitKeepsNothingOfItsOwnAndStopsThePull() throws IOException {
        GzipBomb bomb = GzipBomb.of(1, 64, 0);
        TestImage image = TestImage.create();
        for (int i = 0; i < LAYERS - 1; i++) {
            image.layer(TestLayer.create().file("layer-" + i, "small", 0644), MediaType.OCI_LAYER_GZIP);
        }
        serve(image.layer(bomb.gzip(), MediaType.OCI_LAYER_GZIP, bomb.diffId()));
        Digest bad = Digest.sha256(bomb.gzip());

        assertThatThrownBy(() -> pull(1L << 20)).hasMessage("layer " + bad + ": entry zeros/0: refused: the layer unpacks "
                + "to more than 1 MiB, the limit (--max-unpacked-size, BERTH_MAX_UNPACKED_SIZE)");

        assertThat(root.resolve("blobs/sha256").resolve(bad.hex())).doesNotExist();
        assertThat(entries("snapshots").stream().filter(n -> n.startsWith("tmp-")).collect(Collectors.toList())).isEmpty();
        assertThat(entries("snapshots")).doesNotContain(SnapshotStore.chainIds(image.diffIds()).get(LAYERS - 1).hex());
        assertThat(entries("ingest")).isEmpty();
        assertThat(new ImageStore(root).list()).isEmpty();
    }
}
