package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestParserTest {

    @Test
    void readsAnOciImageManifest() throws IOException {
        ParsedManifest m = ManifestParser.parse(golden("oci-manifest.json"), MediaType.OCI_MANIFEST);

        assertThat(m.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
        assertThat(m.config().mediaType()).isEqualTo(MediaType.OCI_CONFIG);
        assertThat(m.config().size()).isEqualTo(581);
        assertThat(m.layers()).extracting(Descriptor::mediaType).containsExactly(MediaType.OCI_LAYER_GZIP, MediaType.OCI_LAYER_ZSTD);
        assertThat(m.blobs()).hasSize(3);
        assertThat(m.subject()).isNull();
        assertThat(m.effectiveArtifactType()).isEqualTo(MediaType.OCI_CONFIG.value());
        assertThat(m.annotations()).containsEntry("org.opencontainers.image.created", "2026-11-27T00:00:00Z");
    }

    @Test
    void readsAnOciIndexWithItsPlatforms() throws IOException {
        ParsedManifest m = ManifestParser.parse(golden("oci-index.json"), MediaType.OCI_INDEX);

        assertThat(m.isIndex()).isTrue();
        assertThat(m.config()).isNull();
        assertThat(m.manifests()).extracting(d -> d.platform().toString()).containsExactly("linux/amd64", "linux/arm64/v8");
        assertThat(m.blobs()).isEmpty();
    }

    @Test
    void readsDockerSchema2ManifestsAndLists() throws IOException {
        assertThat(ManifestParser.parse(golden("docker-manifest.json"), MediaType.DOCKER_MANIFEST).layers()).hasSize(1);
        assertThat(ManifestParser.parse(golden("docker-manifest-list.json"), MediaType.DOCKER_MANIFEST_LIST).manifests()).hasSize(1);
    }

    @Test
    void readsAnArtifactWithASubject() throws IOException {
        ParsedManifest m = ManifestParser.parse(golden("artifact-with-subject.json"), MediaType.OCI_MANIFEST);

        assertThat(m.effectiveArtifactType()).isEqualTo("application/vnd.example.sbom.v1+json");
        assertThat(m.subject().digest().hex()).isEqualTo("a".repeat(64));
        assertThat(m.config().mediaType()).isEqualTo(MediaType.OCI_EMPTY);
    }

    @Test
    void takesTheTypeFromTheBodyWhenTheRequestHasNone() throws IOException {
        assertThat(ManifestParser.parse(golden("docker-manifest.json"), null).mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST);
    }

    @Test
    void refusesABodyWhoseTypeContradictsTheContentType() throws IOException {
        byte[] docker = golden("docker-manifest.json");
        assertThatThrownBy(() -> ManifestParser.parse(docker, MediaType.OCI_MANIFEST))
                .isInstanceOf(OciException.class).hasMessageContaining("does not match Content-Type");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json", "[]", "{}", "{\"schemaVersion\":1,\"config\":{}}",
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}",
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\"}",
        "{\"schemaVersion\":2,\"mediaType\":\"text/plain\",\"config\":{}}",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x/y\",\"digest\":\"sha256:abc\",\"size\":1}}",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x/y\",\"digest\":\"md5:d41d8cd98f00b204e9800998ecf8427e\",\"size\":1}}",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x/y\",\"size\":-1,\"digest\":\"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}}",
        "{\"schemaVersion\":2,\"manifests\":{}}",
        "{\"schemaVersion\":2,\"manifests\":[],\"annotations\":{\"a\":1}}"
    })
    void refusesMalformedManifestsAsManifestInvalid(String body) {
        assertThatThrownBy(() -> ManifestParser.parse(body.getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_INVALID));
    }

    private static final String EMPTY = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** A manifest with the given schemaVersion, config size and one layer of the given size. */
    private static byte[] withNumbers(String schemaVersion, String configSize, String layerSize) {
        return ("{\"schemaVersion\":" + schemaVersion + ",\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"x/y\",\"digest\":\"" + EMPTY + "\",\"size\":" + configSize + "},"
                + "\"layers\":[{\"mediaType\":\"x/z\",\"digest\":\"" + EMPTY + "\",\"size\":" + layerSize + "}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "9223372036854775808", "18446744073709551616", "-9223372036854775809", "-18446744073709551616", "-1", "1e3", "1.5",
        "\"12\"", "null", "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    })
    void refusesASizeThatIsNotANonNegativeLongNamingTheField(String size) {
        assertThatThrownBy(() -> ManifestParser.parse(withNumbers("2", "0", size), null))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_INVALID))
                .hasMessageStartingWith("layers[0].size ");
        assertThatThrownBy(() -> ManifestParser.parse(withNumbers("2", size, "0"), null))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_INVALID))
                .hasMessageStartingWith("config.size ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"18446744073709551618", "-18446744073709551614", "2.0", "2e0", "9223372036854775810"})
    void refusesASchemaVersionOutOfRangeNamingTheField(String schemaVersion) {
        assertThatThrownBy(() -> ManifestParser.parse(withNumbers(schemaVersion, "0", "0"), null))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_INVALID))
                .hasMessageStartingWith("schemaVersion must be 2");
    }

    @Test
    void acceptsTheLargestSize() {
        ParsedManifest m = ManifestParser.parse(withNumbers("2", "0", String.valueOf(Long.MAX_VALUE)), null);

        assertThat(m.layers().get(0).size()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void refusesAnOversizedSubjectOrIndexEntrySizeNamingTheField() {
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + EMPTY + "\",\"size\":1},"
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + EMPTY
                + "\",\"size\":99999999999999999999}]}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ManifestParser.parse(index, null)).hasMessageStartingWith("manifests[1].size ");

        byte[] withSubject = ("{\"schemaVersion\":2,\"manifests\":[],\"subject\":{\"mediaType\":\"x/y\",\"digest\":\""
                + EMPTY + "\",\"size\":18446744073709551616}}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ManifestParser.parse(withSubject, null)).hasMessageStartingWith("subject.size ");
    }

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = ManifestParserTest.class.getResourceAsStream("/manifests/" + name)) {
            return in.readAllBytes();
        }
    }
}
