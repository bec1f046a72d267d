package dev.berth.registry.manifest;

import static dev.berth.registry.manifest.ManifestBeans.APP;
import static dev.berth.registry.manifest.ManifestBeans.image;
import static dev.berth.registry.manifest.ManifestBeans.index;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Digest;
import dev.berth.oci.ManifestReference;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.registry.manifest.ManifestBeans.Blob;
import dev.berth.registry.metadata.StoredManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushing and pulling manifests through the real {@link ManifestService}: what it keeps, what it refuses, and with which code. */
class ManifestPushTest {

    @TempDir
    Path dataDir;

    private ManifestBeans beans;

    @BeforeEach
    void open() {
        beans = new ManifestBeans(dataDir);
    }

    @AfterEach
    void close() {
        beans.close();
    }

    @Test
    void aManifestWhoseBlobsAreLinkedIsStoredWithItsDescriptorsAndTagged() {
        Blob config = beans.link(APP, "config");
        Blob layer = beans.link(APP, "layer");
        byte[] body = image(config, null, layer);

        ManifestService.Pushed pushed = beans.push(APP, "1.0", body, MediaType.OCI_MANIFEST, "latest");

        Digest digest = Digest.sha256(body);
        assertThat(pushed).isEqualTo(new ManifestService.Pushed(digest, List.of(Tag.of("1.0"), Tag.of("latest")), null));
        long id = beans.metadata.jdbc().queryForObject("SELECT id FROM manifests WHERE repository_id = ? AND digest = ?", Long.class,
                beans.repositoryId(APP), digest.toString());
        assertThat(beans.metadata.jdbc().queryForList("SELECT kind, digest FROM manifest_references WHERE manifest_id = ? ORDER BY ordinal",
                id)).containsExactly(Map.of("KIND", "CONFIG", "DIGEST", config.digest().toString()),
                Map.of("KIND", "LAYER", "DIGEST", layer.digest().toString()));
        assertThat(beans.metadata.jdbc().queryForList("SELECT name FROM tags WHERE manifest_id = ? ORDER BY name", String.class, id))
                .containsExactly("1.0", "latest");
        assertThat(beans.counts(APP)).containsExactly(1, 2);
        assertThat(beans.audited).containsExactly("push " + digest);
    }

    @Test
    void aMissingLayerIsManifestBlobUnknownAndNothingIsKept() {
        Blob config = beans.link(APP, "config");
        Blob layer = Blob.of("never pushed");

        assertThatThrownBy(() -> beans.push(APP, "1.0", image(config, null, beans.link(APP, "present"), layer), MediaType.OCI_MANIFEST))
                .isInstanceOfSatisfying(OciException.class, e -> {
                    assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_BLOB_UNKNOWN);
                    assertThat(e.detail()).isEqualTo(Map.of("digest", layer.digest().toString()));
                });
        assertNothingKept();
    }

    @Test
    void aMissingConfigIsManifestBlobUnknownAndNothingIsKept() {
        Blob config = Blob.of("config never pushed");
        assertThatThrownBy(() -> beans.push(APP, "1.0", image(config, null, beans.link(APP, "layer")), MediaType.OCI_MANIFEST))
                .isInstanceOfSatisfying(OciException.class, e -> {
                    assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_BLOB_UNKNOWN);
                    assertThat(e.detail()).isEqualTo(Map.of("digest", config.digest().toString()));
                });
        assertNothingKept();
    }

    @Test
    void aBlobLinkedOnlyInAnotherRepositoryIsMissingHere() {
        Blob config = beans.link(APP, "config");
        Blob layer = beans.link(RepositoryName.of("other"), "layer");
        assertThatThrownBy(() -> beans.push(APP, "1.0", image(config, null, layer), MediaType.OCI_MANIFEST))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_BLOB_UNKNOWN));
        assertNothingKept();
    }

    @Test
    void aPushByTheWrongDigestIsDigestInvalidAndNothingIsKept() {
        byte[] body = image(beans.link(APP, "config"), null, beans.link(APP, "layer"));
        Digest wrong = Digest.sha256("something else".getBytes());
        assertThatThrownBy(() -> beans.manifests.push(APP, new ManifestReference.ByDigest(wrong), body, MediaType.OCI_MANIFEST,
                List.of(), pushed -> beans.audited.add("push")))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.DIGEST_INVALID));
        assertNothingKept();
    }

    @Test
    void getByTagAndByDigestGiveTheExactBytesPushed() {
        byte[] body = image(beans.link(APP, "config"), null, beans.link(APP, "layer"));
        Digest digest = beans.push(APP, "1.0", body, MediaType.OCI_MANIFEST).digest();

        StoredManifest byTag = beans.manifests.get(APP, new ManifestReference.ByTag(Tag.of("1.0")));
        StoredManifest byDigest = beans.manifests.get(APP, new ManifestReference.ByDigest(digest));

        assertThat(byTag.content()).isEqualTo(body);
        assertThat(byDigest.content()).isEqualTo(body);
        assertThat(byTag.digest()).isEqualTo(digest);
        assertThat(byDigest.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
        assertThat(byDigest.size()).isEqualTo(body.length);
    }

    @Test
    void anUnknownTagOrDigestOrRepositoryIsManifestUnknown() {
        byte[] body = image(beans.link(APP, "config"), null, beans.link(APP, "layer"));
        Digest digest = beans.push(APP, "1.0", body, MediaType.OCI_MANIFEST).digest();
        for (var miss : List.of(Map.entry(APP, (ManifestReference) new ManifestReference.ByTag(Tag.of("2.0"))),
                Map.entry(APP, new ManifestReference.ByDigest(Digest.sha256(new byte[0]))),
                Map.entry(RepositoryName.of("other"), new ManifestReference.ByDigest(digest)))) {
            assertThatThrownBy(() -> beans.manifests.get(miss.getKey(), miss.getValue()))
                    .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_UNKNOWN));
        }
    }

    @Test
    void anIndexWithAMissingChildIsManifestBlobUnknownAndNothingIsKept() {
        byte[] present = image(beans.link(APP, "config"), null, beans.link(APP, "amd64 layer"));
        beans.push(APP, "amd64", present, MediaType.OCI_MANIFEST);
        byte[] absent = image(beans.link(APP, "config"), null, beans.link(APP, "arm64 layer"));

        assertThatThrownBy(() -> beans.push(APP, "multi", index(present, absent), MediaType.OCI_INDEX))
                .isInstanceOfSatisfying(OciException.class, e -> {
                    assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_BLOB_UNKNOWN);
                    assertThat(e.detail()).isEqualTo(Map.of("digest", Digest.sha256(absent).toString()));
                });
        assertThat(beans.rows("manifests")).isEqualTo(1);
        assertThat(beans.metadata.count("tags", "name = 'multi'")).isZero();
        assertThat(beans.counts(APP)).containsExactly(1, 1);
    }

    @Test
    void anIndexWhoseChildrenAreStoredIsStoredAndListsThem() {
        byte[] child = image(beans.link(APP, "config"), null, beans.link(APP, "layer"));
        beans.push(APP, "amd64", child, MediaType.OCI_MANIFEST);

        beans.push(APP, "multi", index(child), MediaType.OCI_INDEX);

        StoredManifest stored = beans.manifests.get(APP, new ManifestReference.ByTag(Tag.of("multi")));
        assertThat(stored.mediaType()).isEqualTo(MediaType.OCI_INDEX);
        assertThat(beans.manifests.storedChildren(stored)).containsExactly(Digest.sha256(child));
        assertThat(beans.counts(APP)).containsExactly(2, 2);
    }

    private void assertNothingKept() {
        assertThat(beans.rows("manifests")).isZero();
        assertThat(beans.rows("manifest_references")).isZero();
        assertThat(beans.rows("tags")).isZero();
        assertThat(beans.counts(APP)).containsExactly(0, 0);
        assertThat(beans.audited).isEmpty();
    }
}
