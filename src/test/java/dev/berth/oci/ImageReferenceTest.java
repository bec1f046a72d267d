package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @ParameterizedTest
    @CsvSource({
        "busybox,                           docker.io,       library/busybox,      latest",
        "busybox:1.36,                      docker.io,       library/busybox,      1.36",
        "library/busybox:1.36,              docker.io,       library/busybox,      1.36",
        "docker.io/busybox,                 docker.io,       library/busybox,      latest",
        "index.docker.io/library/busybox,   docker.io,       library/busybox,      latest",
        "team/app,                          docker.io,       team/app,             latest",
        "localhost/app,                     localhost,       app,                  latest",
        "localhost:5000/team/app:v2,        localhost:5000,  team/app,             v2",
        "127.0.0.1:5000/a/b/c:x_1,          127.0.0.1:5000,  a/b/c,                x_1",
        "ghcr.io/org/tool,                  ghcr.io,         org/tool,             latest",
        "Registry/app,                      Registry,        app,                  latest",
    })
    void appliesDockerHubDefaultsTheWayDockerDoes(String text, String registry, String repository, String tag) {
        ImageReference ref = ImageReference.parse(text);

        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository().value()).isEqualTo(repository);
        assertThat(ref.tag().value()).isEqualTo(tag);
        assertThat(ref.digest()).isNull();
        assertThat(ref.manifestReference()).isEqualTo(new ManifestReference.ByTag(Tag.of(tag)));
    }

    @Test
    void aDigestReferenceHasNoDefaultTag() {
        ImageReference ref = ImageReference.parse("localhost:5000/team/app@" + DIGEST);

        assertThat(ref.tag()).isNull();
        assertThat(ref.digest()).isEqualTo(Digest.of(DIGEST));
        assertThat(ref.manifestReference()).isEqualTo(new ManifestReference.ByDigest(Digest.of(DIGEST)));
        assertThat(ref).hasToString("localhost:5000/team/app@" + DIGEST);
    }

    @Test
    void aTagAndADigestAreBothKeptAndTheDigestWins() {
        ImageReference ref = ImageReference.parse("busybox:1.36@" + DIGEST);

        assertThat(ref.tag().value()).isEqualTo("1.36");
        assertThat(ref.manifestReference()).isEqualTo(new ManifestReference.ByDigest(Digest.of(DIGEST)));
    }

    @Test
    void aPortIsNotMistakenForATag() {
        ImageReference ref = ImageReference.parse("localhost:5000/app");

        assertThat(ref.registry()).isEqualTo("localhost:5000");
        assertThat(ref.tag().value()).isEqualTo("latest");
    }

    @Test
    void dockerHubTalksToItsApiHostAndShowsFamiliarNames() {
        assertThat(ImageReference.parse("busybox").registryHost()).isEqualTo("registry-1.docker.io");
        assertThat(ImageReference.parse("busybox").familiarRepository()).isEqualTo("busybox");
        assertThat(ImageReference.parse("team/app").familiarRepository()).isEqualTo("team/app");
        assertThat(ImageReference.parse("localhost:5000/app").registryHost()).isEqualTo("localhost:5000");
        assertThat(ImageReference.parse("localhost:5000/app").familiarRepository()).isEqualTo("localhost:5000/app");
        assertThat(ImageReference.parse("busybox")).hasToString("docker.io/library/busybox:latest");
    }

    @Test
    void equalReferencesAreEqual() {
        assertThat(ImageReference.parse("busybox")).isEqualTo(ImageReference.parse("docker.io/library/busybox:latest"));
        assertThat(ImageReference.parse("busybox:1")).isNotEqualTo(ImageReference.parse("busybox:2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "Busybox", "team/App", "busybox:", "busybox:-x", "busybox@sha256:abc",
        "busybox@md5:" + "ab", "/busybox", "team//app", "app/", "-app", "reg istry/app", "busybox:a:b"})
    void refusesWhatDockerRefuses(String text) {
        assertThatThrownBy(() -> ImageReference.parse(text))
                .isInstanceOf(OciException.class)
                .satisfies(e -> assertThat(((OciException) e).code()).isEqualTo(OciErrorCode.NAME_INVALID));
    }
}
