package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server for tests: s3proxy (Maven Central, copied to target/s3proxy/s3proxy.jar by
 * the build) as its own JVM, on a free loopback port, over a directory in which each subdirectory
 * is a bucket. Signatures, multipart uploads and ranges are s3proxy's, not a mock's.
 */
public final class S3Proxy implements AutoCloseable {

    public static final String ACCESS_KEY = "berth-test";
    public static final String SECRET_KEY = "berth-test-secret";
    public static final String REGION = "us-east-1";

    private final Process process;
    private final int port;
    private final Path dir;

    private S3Proxy(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts s3proxy over {@code dir} (its buckets are {@code dir}'s subdirectories) and waits until it answers. */
    public static S3Proxy start(Path dir, String... buckets) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("berth.s3proxy.jar", "target/s3proxy/s3proxy.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the build copies it (mvn process-test-resources)");
        }
        Path data = Files.createDirectories(dir.resolve("buckets"));
        for (String bucket : buckets) {
            Files.createDirectories(data.resolve(bucket));
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path properties = dir.resolve("s3proxy.conf");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data,
                ""));
        Path log = dir.resolve("s3proxy.log");
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--properties", properties.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3Proxy proxy = new S3Proxy(process, port, data);
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return proxy;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > until) {
                    proxy.close();
                    throw new IllegalStateException("s3proxy did not start: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client of the test's own, to see what the server holds (objects, multipart uploads in progress); close it. */
    public S3Client client() {
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .endpointOverride(endpoint()).forcePathStyle(true).build();
    }

    /** The directory of a bucket's objects. */
    public Path bucketDir(String bucket) {
        return dir.resolve(bucket);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("cannot stop s3proxy", e));
        }
    }
}
