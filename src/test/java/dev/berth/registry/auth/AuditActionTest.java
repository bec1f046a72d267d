package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.oci.ManifestReference;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The audit log keeps the texts it always stored, so older rows and the audit page read the same. */
class AuditActionTest {

    @Test
    void eachActionIsStoredAsTheTextWrittenBeforeTheEnum() {
        assertThat(Arrays.stream(AuditAction.values()).map(AuditAction::stored)).containsExactly(
                "manifest.push", "manifest.delete", "tag.delete", "blob.delete", "org.create", "member.set", "member.remove",
                "visibility.set", "robot.create", "robot.delete", "token.create", "token.revoke", "user.create", "user.password",
                "user.password-reset", "user.disable", "user.enable", "user.grant-admin", "user.revoke-admin", "user.delete",
                "immutable-tags.add", "immutable-tags.remove", "quotas.set", "quotas.clear", "retention.add", "retention.remove",
                "repository.delete");
        assertThat(AuditAction.values()).allSatisfy(a -> assertThat(a.stored().length()).isLessThanOrEqualTo(40));
    }

    @Test
    void targetsNameTheRepositoryAndTheTagOrDigest() {
        RepositoryName name = RepositoryName.of("team/app");
        Digest digest = Digest.sha256(new byte[0]);
        assertThat(AuditLog.target(name, new ManifestReference.ByTag(Tag.of("1.0")))).isEqualTo("team/app:1.0");
        assertThat(AuditLog.target(name, new ManifestReference.ByDigest(digest))).isEqualTo("team/app@" + digest);
        assertThat(AuditLog.target(name, digest)).isEqualTo("team/app@" + digest);
    }
}
