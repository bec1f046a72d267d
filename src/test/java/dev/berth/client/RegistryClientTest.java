package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciException;
import dev.berth.oci.ParsedManifest;
import dev.berth.oci.Platform;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryClientTest {

    @Test
    void loopbackRegistriesArePlainHttp() {
        assertThat(RegistryClient.isLoopback("localhost:5000")).isTrue();
        assertThat(RegistryClient.isLoopback("127.0.0.1:5000")).isTrue();
        assertThat(RegistryClient.isLoopback("127.8.9.10")).isTrue();
        assertThat(RegistryClient.isLoopback("[::1]:5000")).isTrue();
        assertThat(RegistryClient.isLoopback("registry-1.docker.io")).isFalse();
        assertThat(RegistryClient.isLoopback("127.example.com")).isFalse();
        assertThat(RegistryClient.isLoopback("localhost.evil.com:80")).isFalse();
    }

    private static Descriptor entry(String digestByte, MediaType type, Platform platform) {
        return new Descriptor(type, Digest.of("sha256:" + digestByte.repeat(64)), 10, null, Map.of(), platform);
    }

    @Test
    void picksTheFirstImageForThePlatform() {
        Descriptor arm = entry("a", MediaType.OCI_MANIFEST, new Platform("linux", "arm64", null));
        Descriptor armV7 = entry("b", MediaType.OCI_MANIFEST, new Platform("linux", "arm", "v7"));
        Descriptor amd = entry("c", MediaType.DOCKER_MANIFEST, new Platform("linux", "amd64", null));
        Descriptor attestation = entry("d", MediaType.OCI_MANIFEST, new Platform("unknown", "unknown", null));
        ParsedManifest index = new ParsedManifest(MediaType.OCI_INDEX, null, List.of(), List.of(attestation, arm, armV7, amd),
                null, null, Map.of());

        assertThat(RegistryClient.selectPlatform(index, Platform.parse("linux/amd64"), "x")).isEqualTo(amd);
        assertThat(RegistryClient.selectPlatform(index, Platform.parse("linux/arm64/v8"), "x")).isEqualTo(arm);
        assertThat(RegistryClient.selectPlatform(index, Platform.parse("linux/arm/v7"), "x")).isEqualTo(armV7);
        assertThatThrownBy(() -> RegistryClient.selectPlatform(index, Platform.parse("linux/s390x"), "busybox"))
                .isInstanceOf(OciException.class)
                .hasMessage("busybox has no image for linux/s390x; it has unknown/unknown, linux/arm64, linux/arm/v7, linux/amd64");
    }

    @Test
    void platformsParseAsDockerWritesThem() {
        assertThat(Platform.parse("linux/ARM64/v8")).isEqualTo(new Platform("linux", "arm64", "v8"));
        assertThat(Platform.host().os()).isEqualTo("linux");
        assertThatThrownBy(() -> Platform.parse("amd64")).hasMessageContaining("os/arch[/variant]");
        assertThatThrownBy(() -> Platform.parse("linux//")).hasMessageContaining("os/arch[/variant]");
    }
}
