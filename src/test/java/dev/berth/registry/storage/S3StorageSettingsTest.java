package dev.berth.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.content.ContentStore;
import dev.berth.content.StagedBlob;
import dev.berth.content.StagingName;
import dev.berth.oci.Digest;
import dev.berth.registry.RegistryProperties;
import dev.berth.testing.S3Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code berth.storage.*} bound as the server binds it: the bad combinations it refuses, and an S3 store opened from it. */
class S3StorageSettingsTest {

    @TempDir
    Path dataDir;

    private RegistryProperties bind(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("berth.data-dir", dataDir.toString());
        return new Binder(new MapConfigurationPropertySource(all)).bind("berth", RegistryProperties.class).get();
    }

    private static Throwable deepest(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    @Test
    void theFilesystemIsTheDefault() {
        RegistryProperties properties = bind(Map.of());

        assertThat(properties.storage().type()).isEqualTo(RegistryProperties.Storage.Type.FILESYSTEM);
        assertThat(BlobStorage.open(properties, new StorageSpace(properties)).location()).isEqualTo(dataDir.toString());
    }

    @Test
    void badCombinationsAreRefusedWithOneLineThatNamesTheSetting() {
        Map<Map<String, String>, String> refused = Map.of(
                Map.of("berth.storage.type", "s3"), "berth.storage.type is s3, but berth.storage.s3.bucket is not set",
                Map.of("berth.storage.s3.redirect", "true"), "berth.storage.s3.redirect is true, but berth.storage.type is filesystem",
                Map.of("berth.storage.type", "s3", "berth.storage.s3.bucket", "b", "berth.storage.s3.access-key", "k"),
                "berth.storage.s3.access-key and secret-key go together",
                Map.of("berth.storage.type", "s3", "berth.storage.s3.bucket", "b", "berth.storage.s3.part-size", "4MB"),
                "berth.storage.s3.part-size must be at least 5MB",
                Map.of("berth.storage.type", "gcs"), "gcs");
        refused.forEach((settings, message) -> assertThatThrownBy(() -> bind(settings))
                .satisfies(e -> assertThat(deepest(e).getMessage()).as(settings.toString()).contains(message)));
    }

    @Test
    void anS3StoreOpensFromTheSettingsAndSpoolsInTheDataDirectory() throws Exception {
        try (S3Proxy server = S3Proxy.start(Files.createDirectories(dataDir.resolve("s3")), "registry")) {
            RegistryProperties properties = bind(Map.of(
                    "berth.storage.type", "s3",
                    "berth.storage.s3.endpoint", server.endpoint().toString(),
                    "berth.storage.s3.bucket", "registry",
                    "berth.storage.s3.prefix", "/berth/",
                    "berth.storage.s3.access-key", S3Proxy.ACCESS_KEY,
                    "berth.storage.s3.secret-key", S3Proxy.SECRET_KEY,
                    "berth.storage.s3.path-style-access", "true"));
            ContentStore store = BlobStorage.open(properties, new StorageSpace(properties));
            store.probe();
            StagingName upload = StagingName.random();
            try (StagedBlob staged = store.stage(upload)) {
                staged.write("hello".getBytes(), 0, 5);
            }
            assertThat(dataDir.resolve("s3-uploads").resolve(upload.value())).hasContent("hello");
            store.discard(upload);
            Digest digest = Digest.sha256("hello".getBytes());
            store.put(digest, "hello".getBytes());

            assertThat(store.location()).startsWith("s3://registry/berth/");
            assertThat(store.read(digest, 5)).isEqualTo("hello".getBytes());
            assertThat(server.bucketDir("registry").resolve("berth/blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex()))
                    .hasContent("hello");
        }
    }
}
