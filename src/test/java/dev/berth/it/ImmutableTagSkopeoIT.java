package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.RegistryIntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Immutable tags with a real client: {@code skopeo copy} of an image to a tag a rule covers works,
 * the same copy again works (it changes nothing), and a copy of another image to that tag is
 * refused with a message that names the rule, leaving the tag where it was.
 */
@DatabaseNeutral
@TestPropertySource(locations = "classpath:immutable-tags.properties")
class ImmutableTagSkopeoIT extends RegistryIntegrationTest {

    @Test
    void copyingAnotherImageToAnImmutableTagIsRefusedWithTheRule() throws IOException {
        Path work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "immutable-skopeo-");
        try {
            Skopeo skopeo = Skopeo.require(work);
            TestImage first = TestImages.ociLayout(work.resolve("first"), "first " + work.getFileName(), "v1");
            TestImage second = TestImages.ociLayout(work.resolve("second"), "second " + work.getFileName(), "v1");
            assertThat(second.manifestDigest()).isNotEqualTo(first.manifestDigest());
            String repository = uniqueName("immutable");
            String reference = "docker://127.0.0.1:" + port + "/" + repository + ":v1.0";

            assertThat(skopeo.copy(first.ociReference(), reference, "--dest-tls-verify=false")).isEqualTo(first.manifestDigest());
            assertThat(skopeo.copy(first.ociReference(), reference, "--dest-tls-verify=false"))
                    .as("the same image again").isEqualTo(first.manifestDigest());
            Exec.Result refused = skopeo.run("copy", "--dest-tls-verify=false", second.ociReference(), reference);

            assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
            assertThat(refused.stderr()).contains("tag v1.0 of " + repository + " is immutable under berth.immutable-tags[0]"
                    + " (repositories immutable/**, tags v[0-9].*): it stays on " + first.manifestDigest());
            assertThat(skopeo.succeed("inspect", "--raw", "--tls-verify=false", reference).stdoutBytes()).isEqualTo(first.manifest());
        } finally {
            TestFiles.deleteRecursively(work);
        }
    }
}
