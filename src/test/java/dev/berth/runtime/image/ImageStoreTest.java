package dev.berth.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.MediaType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {

    @TempDir
    Path root;

    private static Digest d(char c) {
        return Digest.of("sha256:" + String.valueOf(c).repeat(64));
    }

    private static ImageRecord record(String ref, char config, char layer) {
        return record(ref, config, layer, 5678);
    }

    private static ImageRecord record(String ref, char config, char layer, long unpackedSize) {
        Descriptor l = new Descriptor(MediaType.OCI_LAYER_GZIP, d(layer), 1234, null, null, null);
        return new ImageRecord(ImageReference.parse(ref), d('0'), d('1'), d(config), List.of(l), Instant.parse("2026-01-02T03:04:05Z"),
                unpackedSize);
    }

    @Test
    void recordsSurviveAReopenAndAReferenceHasOneRecord() {
        new ImageStore(root).put(record("busybox", 'a', 'b'));
        new ImageStore(root).put(record("localhost:5000/app:v1", 'c', 'b'));
        new ImageStore(root).put(record("busybox:latest", 'e', 'f'));

        List<ImageRecord> all = new ImageStore(root).list();

        assertThat(all).hasSize(2);
        ImageRecord busybox = new ImageStore(root).find(ImageReference.parse("docker.io/library/busybox")).orElseThrow();
        assertThat(busybox).isEqualTo(record("busybox", 'e', 'f'));
        assertThat(busybox.size()).isEqualTo(5678);
        assertThat(busybox.compressedSize()).isEqualTo(1234);
        assertThat(busybox.blobs()).containsExactly(d('0'), d('1'), d('e'), d('f'));
    }

    @Test
    void aRecordWithoutAnUnpackedSizeShowsTheCompressedOne() {
        new ImageStore(root).put(record("busybox", 'a', 'b', -1));

        assertThat(new ImageStore(root).list()).singleElement().satisfies(r -> {
            assertThat(r.unpackedSize()).isEqualTo(-1);
            assertThat(r.size()).isEqualTo(1234);
        });
    }

    @Test
    void resolvesByReferenceOrByAnUnambiguousIdPrefix() {
        ImageStore store = new ImageStore(root);
        store.put(record("busybox", 'a', 'b'));
        store.put(record("team/app:v1", 'c', 'b'));

        assertThat(store.resolve("aaaa")).map(r -> r.reference().toString()).contains("docker.io/library/busybox:latest");
        assertThat(store.resolve("sha256:" + "c".repeat(64))).map(r -> r.reference().toString()).contains("docker.io/team/app:v1");
        assertThat(store.resolve("team/app:v1")).isPresent();
        assertThat(store.resolve("team/app:v2")).isEmpty();
        assertThat(store.resolve("abc")).isEmpty();
        assertThat(store.resolve("Not A Reference")).isEmpty();
    }

    @Test
    void removeReturnsWhatIsLeft() {
        ImageStore store = new ImageStore(root);
        store.put(record("a", 'a', 'b'));
        store.put(record("b", 'c', 'b'));

        List<ImageRecord> left = store.remove(ImageReference.parse("a"));

        assertThat(left).extracting(r -> r.reference().toString()).containsExactly("docker.io/library/b:latest");
        assertThat(store.list()).isEqualTo(left);
    }
}
