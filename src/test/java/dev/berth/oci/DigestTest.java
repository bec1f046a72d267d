package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

class DigestTest {

    private static final String EMPTY_SHA256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void hashesContentToTheWellKnownValue() {
        assertThat(Digest.sha256(new byte[0]).toString()).isEqualTo(EMPTY_SHA256);
        assertThat(Digest.sha256("abc".getBytes(StandardCharsets.UTF_8)).hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void parsesAndPrintsTheSameText() {
        Digest d = Digest.of(EMPTY_SHA256);
        assertThat(d.algorithm()).isEqualTo(Digest.Algorithm.SHA256);
        assertThat(d.toString()).isEqualTo(EMPTY_SHA256);
        assertThat(d).isEqualTo(Digest.sha256(new byte[0]));
    }

    @Test
    void acceptsSha512() {
        String hex = "a".repeat(128);
        assertThat(Digest.of("sha512:" + hex).algorithm()).isEqualTo(Digest.Algorithm.SHA512);
    }

    static java.util.stream.Stream<String> notDigests() {
        return java.util.stream.Stream.of("", "sha256", "sha256:", ":abc", "sha256:abc", "sha256:" + "g".repeat(64),
                "sha256:" + "A".repeat(64), "sha256:" + "a".repeat(65), "sha512:" + "a".repeat(64), "SHA256:" + "a".repeat(64),
                "sha256:../../etc/passwd", "sha256:" + "a".repeat(63) + "/");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("notDigests")
    void refusesAnythingThatIsNotADigest(String text) {
        assertThatThrownBy(() -> Digest.of(text))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.DIGEST_INVALID));
    }

    @Test
    void namesTheUnsupportedAlgorithm() {
        assertThatThrownBy(() -> Digest.of("md5:d41d8cd98f00b204e9800998ecf8427e"))
                .isInstanceOf(OciException.class).hasMessageContaining("unsupported digest algorithm: md5");
    }
}
