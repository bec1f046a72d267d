package dev.berth.registry.manifest;

import static dev.berth.registry.manifest.ManifestBeans.APP;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tags moving, manifests and tags deleted, and referrers found, through the real {@link ManifestService}. */
class ManifestDeleteAndReferrersTest {

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

    private byte[] image(String layer) {
        return ManifestBeans.image(beans.link(APP, "config"), null, beans.link(APP, layer));
    }

    private static ManifestReference tag(String name) {
        return new ManifestReference.ByTag(Tag.of(name));
    }

    private static ManifestReference digest(byte[] body) {
        return new ManifestReference.ByDigest(Digest.sha256(body));
    }

    private void assertUnknown(RepositoryName name, ManifestReference reference) {
        assertThatThrownBy(() -> beans.manifests.get(name, reference))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_UNKNOWN));
    }

    @Test
    void aTagPushedOntoAnotherManifestMovesAndTheFirstManifestStays() {
        byte[] first = image("one");
        byte[] second = image("two");
        beans.push(APP, "latest", first, MediaType.OCI_MANIFEST);

        beans.push(APP, "latest", second, MediaType.OCI_MANIFEST);

        assertThat(beans.manifests.get(APP, tag("latest")).content()).isEqualTo(second);
        assertThat(beans.manifests.get(APP, digest(first)).content()).isEqualTo(first);
        assertThat(beans.rows("tags")).isEqualTo(1);
        assertThat(beans.counts(APP)).containsExactly(2, 1);
    }

    @Test
    void deletingATagRemovesOnlyThatTag() {
        byte[] body = image("layer");
        beans.push(APP, "1.0", body, MediaType.OCI_MANIFEST, "latest");

        beans.delete(APP, tag("1.0"));

        assertUnknown(APP, tag("1.0"));
        assertThat(beans.manifests.get(APP, tag("latest")).content()).isEqualTo(body);
        assertThat(beans.manifests.tagPage(APP, null, 10)).containsExactly("latest");
        assertThat(beans.counts(APP)).containsExactly(1, 1);
        assertThat(beans.audited).containsExactly("push " + Digest.sha256(body), "delete 1.0");
    }

    @Test
    void deletingATagThatIsNotThereIsManifestUnknownAndAuditsNothing() {
        beans.push(APP, "1.0", image("layer"), MediaType.OCI_MANIFEST);
        beans.audited.clear();

        for (var miss : List.of(tag("2.0"), digest("{}".getBytes()))) {
            assertThatThrownBy(() -> beans.delete(APP, miss))
                    .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_UNKNOWN));
        }
        assertThatThrownBy(() -> beans.delete(RepositoryName.of("nowhere"), tag("1.0")))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_UNKNOWN));
        assertThat(beans.audited).isEmpty();
        assertThat(beans.counts(APP)).containsExactly(1, 1);
    }

    @Test
    void deletingByDigestRemovesTheManifestItsDescriptorsAndEveryTagOnIt() {
        byte[] kept = image("kept");
        byte[] gone = image("gone");
        beans.push(APP, "kept", kept, MediaType.OCI_MANIFEST);
        beans.push(APP, "1.0", gone, MediaType.OCI_MANIFEST, "latest");

        beans.delete(APP, digest(gone));

        assertUnknown(APP, digest(gone));
        assertUnknown(APP, tag("1.0"));
        assertUnknown(APP, tag("latest"));
        assertThat(beans.manifests.get(APP, tag("kept")).content()).isEqualTo(kept);
        assertThat(beans.rows("manifests")).isEqualTo(1);
        assertThat(beans.rows("manifest_references")).isEqualTo(2);
        assertThat(beans.manifests.tagPage(APP, null, 10)).containsExactly("kept");
        assertThat(beans.counts(APP)).containsExactly(1, 1);
        assertThat(beans.audited).last().isEqualTo("delete " + Digest.sha256(gone));
        // The blobs stay linked: a manifest delete is not a blob delete.
        assertThat(beans.repositories.linkedBlob(APP, Blob.of("gone").digest())).isPresent();
    }

    @Test
    void referrersAreTheManifestsOfTheRepositoryWhoseSubjectIsTheDigest() {
        byte[] subject = image("layer");
        Digest subjectDigest = beans.push(APP, "1.0", subject, MediaType.OCI_MANIFEST).digest();
        Blob config = beans.link(APP, "{}");
        byte[] signature = ManifestBeans.image(config, Blob.of(subject), beans.link(APP, "signature"));
        byte[] sbom = ManifestBeans.image(config, Blob.of(subject), beans.link(APP, "sbom"));
        byte[] unrelated = ManifestBeans.image(config, Blob.of("another subject"), beans.link(APP, "x"));
        RepositoryName other = RepositoryName.of("other");
        byte[] elsewhere = ManifestBeans.image(beans.link(other, "{}"), Blob.of(subject), beans.link(other, "signature"));

        ManifestService.Pushed pushed = beans.push(APP, "sig", signature, MediaType.OCI_MANIFEST);
        beans.push(APP, "sbom", sbom, MediaType.OCI_MANIFEST);
        beans.push(APP, "unrelated", unrelated, MediaType.OCI_MANIFEST);
        beans.push(other, "sig", elsewhere, MediaType.OCI_MANIFEST);

        assertThat(pushed.subject()).isEqualTo(subjectDigest);
        List<Digest> referrers = beans.manifests.referrers(APP, subjectDigest).stream().map(StoredManifest::digest).toList();
        assertThat(referrers).containsExactlyInAnyOrder(Digest.sha256(signature), Digest.sha256(sbom));
        assertThat(referrers).isSortedAccordingTo((a, b) -> a.toString().compareTo(b.toString()));
        assertThat(beans.manifests.referrers(APP, Digest.sha256(signature))).isEmpty();
    }

    @Test
    void aReferrerMayArriveBeforeItsSubjectAndIsFoundOnceItIsPushed() {
        byte[] subject = image("layer");
        byte[] signature = ManifestBeans.image(beans.link(APP, "{}"), Blob.of(subject), beans.link(APP, "signature"));

        beans.push(APP, "sig", signature, MediaType.OCI_MANIFEST);

        assertThat(beans.manifests.referrers(APP, Digest.sha256(subject))).extracting(StoredManifest::digest)
                .containsExactly(Digest.sha256(signature));
        assertUnknown(APP, digest(subject));
    }
}
