package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A manifest push, a manifest or tag delete, a blob delete: each commits together with its audit row: the row is there exactly when the
 * change is. The database is made to refuse one audit row (a check constraint on its target), and
 * the change it records must then be refused too.
 */
class AuditedChangesIT extends OciSpecTest {

    private final String repo = uniqueName("audited");

    @Autowired
    JdbcClient jdbc;

    private List<String> auditRows(String target) {
        return jdbc.sql("select action || ' ' || coalesce(detail, '') from audit_events where target = :t order by id")
                .param("t", target).query(String.class).list();
    }

    /** Runs {@code work} while the database refuses any audit row of {@code action} on {@code target}. */
    private void refusingAudit(String action, String target, Runnable work) {
        String constraint = "refuse_" + Long.toHexString(System.nanoTime());
        jdbc.sql("alter table audit_events add constraint " + constraint
                + " check (not (action = '" + action + "' and target = '" + target + "'))").update();
        try {
            work.run();
        } finally {
            jdbc.sql("alter table audit_events drop constraint " + constraint).update();
        }
    }

    @Test
    void aPushAndADeleteWriteOneAuditRowEach() {
        OciClient.Image image = registry().pushImage(repo, "v1");

        assertThat(auditRows(repo + ":v1")).containsExactly("manifest.push " + image.digest());
        assertThat(registry().delete("/v2/" + repo + "/manifests/v1").status()).isEqualTo(202);
        assertThat(auditRows(repo + ":v1")).containsExactly("manifest.push " + image.digest(), "tag.delete ");
        // Deleting what is no longer there changes nothing and records nothing.
        assertOciError(registry().delete("/v2/" + repo + "/manifests/v1"), 404, "MANIFEST_UNKNOWN");
        assertThat(auditRows(repo + ":v1")).hasSize(2);
    }

    @Test
    void aPushWhoseAuditRowFailsIsNotKept() {
        OciClient.Image image = registry().pushImage(repo, "kept");

        refusingAudit("manifest.push", repo + ":refused", () -> assertOciError(
                registry().putManifest(repo, "refused", OciClient.OCI_MANIFEST, image.manifest()), 500, "UNKNOWN"));

        assertOciError(registry().get("/v2/" + repo + "/manifests/refused"), 404, "MANIFEST_UNKNOWN");
        assertThat(registry().get("/v2/" + repo + "/tags/list").json().get("tags").toString()).isEqualTo("[\"kept\"]");
        assertThat(auditRows(repo + ":refused")).isEmpty();
        // Once the database takes the row again, the same push goes through.
        registry().pushManifest(repo, "refused", OciClient.OCI_MANIFEST, image.manifest());
        assertThat(auditRows(repo + ":refused")).containsExactly("manifest.push " + image.digest());
    }

    @Test
    void aDeleteWhoseAuditRowFailsIsNotKept() {
        OciClient.Image image = registry().pushImage(repo, "stays");

        refusingAudit("tag.delete", repo + ":stays", () -> assertOciError(
                registry().delete("/v2/" + repo + "/manifests/stays"), 500, "UNKNOWN"));
        refusingAudit("manifest.delete", repo + "@" + image.digest(), () -> assertOciError(
                registry().delete("/v2/" + repo + "/manifests/" + image.digest()), 500, "UNKNOWN"));

        assertThat(registry().get("/v2/" + repo + "/manifests/stays").body()).isEqualTo(image.manifest());
        assertThat(registry().get("/v2/" + repo + "/manifests/" + image.digest()).status()).isEqualTo(200);
    }

    @Test
    void aBlobDeleteWhoseAuditRowFailsIsNotKept() {
        OciClient.Blob blob = registry().pushBlob(repo, OciClient.randomBytes(100));
        String target = repo + "@" + blob.digest();

        refusingAudit("blob.delete", target, () -> assertOciError(registry().delete("/v2/" + repo + "/blobs/" + blob.digest()), 500, "UNKNOWN"));

        assertThat(registry().get("/v2/" + repo + "/blobs/" + blob.digest()).status()).isEqualTo(200);
        assertThat(auditRows(target)).isEmpty();
        assertThat(registry().delete("/v2/" + repo + "/blobs/" + blob.digest()).status()).isEqualTo(202);
        assertThat(auditRows(target)).containsExactly("blob.delete ");
    }
}
