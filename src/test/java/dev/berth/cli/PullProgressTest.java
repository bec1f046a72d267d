package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.MediaType;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class PullProgressTest {

    private static final Digest DIGEST = Digest.of("sha256:" + "0123456789ab".repeat(5) + "cdef");
    private static final Descriptor LAYER = new Descriptor(MediaType.OCI_LAYER_GZIP, DIGEST, 2_000_000, null, null, null);

    private static String pull(boolean terminal) {
        StringWriter text = new StringWriter();
        PullProgress progress = new PullProgress(new PrintWriter(text), terminal);
        progress.resolved(ImageReference.parse("localhost:5000/team/app:v1"), DIGEST);
        progress.layerExists(LAYER);
        progress.layerStarted(LAYER);
        progress.layerProgress(LAYER, 1_000_000);
        progress.layerProgress(LAYER, 2_000_000);
        progress.layerDone(LAYER);
        return text.toString();
    }

    @Test
    void plainLinesWhenNotATerminal() {
        assertThat(pull(false)).isEqualTo("""
                v1: Pulling from localhost:5000/team/app
                0123456789ab: Already exists
                0123456789ab: Downloading 2MB
                0123456789ab: Pull complete
                """);
    }

    @Test
    void aBarRedrawnInPlaceOnATerminal() {
        String out = pull(true);

        assertThat(out).contains("\r\033[K0123456789ab: Downloading [" + "=".repeat(19) + ">" + " ".repeat(20) + "] 1MB/2MB\n")
                .contains("[" + "=".repeat(40) + "] 2MB/2MB")
                .endsWith("\033[1A\r\033[K0123456789ab: Pull complete\n")
                .doesNotContain("Downloading 2MB\n");
    }

    @Test
    void layersInParallelEachKeepTheirLineOnATerminal() {
        Descriptor other = new Descriptor(MediaType.OCI_LAYER_GZIP, Digest.of("sha256:" + "f".repeat(64)), 1000, null, null, null);
        StringWriter text = new StringWriter();
        PullProgress progress = new PullProgress(new PrintWriter(text), true);
        progress.layerStarted(LAYER);
        progress.layerStarted(other);
        progress.layerDone(other);
        progress.layerProgress(LAYER, 2_000_000);

        String[] redraws = text.toString().split("\033\\[2A");
        assertThat(redraws).hasSize(3);
        assertThat(redraws[2]).isEqualTo("\r\033[K0123456789ab: Downloading [" + "=".repeat(40) + "] 2MB/2MB\n"
                + "\r\033[Kffffffffffff: Pull complete\n");
    }
}
