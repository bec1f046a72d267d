package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.MediaType;
import dev.berth.oci.RepositoryName;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class PushProgressTest {

    private static final ImageReference TARGET = ImageReference.parse("localhost:5000/team/app:v1");
    private static final Digest MANIFEST = Digest.of("sha256:" + "f".repeat(64));
    private static final Descriptor ONE = layer('1');
    private static final Descriptor TWO = layer('2');
    private static final Descriptor THREE = layer('3');

    private static Descriptor layer(char c) {
        return new Descriptor(MediaType.OCI_LAYER_GZIP, Digest.of("sha256:" + String.valueOf(c).repeat(64)), 2_000_000, null, null, null);
    }

    /** A diff id that differs from the blob digest, so the test tells which one names the line. */
    private static Digest diffId(Descriptor layer) {
        return Digest.of("sha256:d" + layer.digest().hex().substring(1));
    }

    private static String push(boolean terminal, boolean quiet) {
        StringWriter text = new StringWriter();
        PushProgress progress = new PushProgress(new PrintWriter(text), terminal, quiet);
        progress.started(TARGET);
        progress.layerStarted(ONE, diffId(ONE));
        progress.layerExists(ONE);
        progress.layerStarted(TWO, diffId(TWO));
        progress.layerMounted(TWO, RepositoryName.of("team/base"));
        progress.layerStarted(THREE, diffId(THREE));
        progress.layerProgress(THREE, 2_000_000);
        progress.layerPushed(THREE);
        progress.pushed(TARGET, MANIFEST, 1234);
        return text.toString();
    }

    @Test
    void dockersLinesWhenNotATerminalEachLayerNamedByItsDiffId() {
        assertThat(push(false, false)).isEqualTo("""
                The push refers to repository [localhost:5000/team/app]
                d11111111111: Layer already exists
                d22222222222: Mounted from team/base
                d33333333333: Pushed
                v1: digest: sha256:%s size: 1234
                """.formatted("f".repeat(64)));
    }

    @Test
    void quietPrintsOnlyTheLastLine() {
        assertThat(push(true, true)).isEqualTo("v1: digest: sha256:" + "f".repeat(64) + " size: 1234\n");
    }

    @Test
    void aTerminalGetsTheBlockRedrawnWithAProgressBar() {
        String out = push(true, false);

        assertThat(out).startsWith("The push refers to repository [localhost:5000/team/app]\n")
                .contains("\r\033[Kd11111111111: Preparing\n")
                .contains("d33333333333: Pushing [" + "=".repeat(50) + "] 2MB/2MB")
                .contains("\033[3A")
                .endsWith("\r\033[Kd11111111111: Layer already exists\n\r\033[Kd22222222222: Mounted from team/base\n"
                        + "\r\033[Kd33333333333: Pushed\nv1: digest: sha256:" + "f".repeat(64) + " size: 1234\n");
    }
}
