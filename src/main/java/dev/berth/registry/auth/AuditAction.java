package dev.berth.registry.auth;

/** What an audit event records; {@link #stored()} is the text kept in {@code audit_events.action} and shown on the audit page. */
public enum AuditAction {
    MANIFEST_PUSH("manifest.push"),
    MANIFEST_DELETE("manifest.delete"),
    TAG_DELETE("tag.delete"),
    BLOB_DELETE("blob.delete"),
    ORG_CREATE("org.create"),
    MEMBER_SET("member.set"),
    MEMBER_REMOVE("member.remove"),
    VISIBILITY_SET("visibility.set"),
    ROBOT_CREATE("robot.create"),
    ROBOT_DELETE("robot.delete"),
    TOKEN_CREATE("token.create"),
    TOKEN_REVOKE("token.revoke"),
    USER_CREATE("user.create"),
    USER_PASSWORD("user.password"),
    USER_PASSWORD_RESET("user.password-reset"),
    USER_DISABLE("user.disable"),
    USER_ENABLE("user.enable"),
    USER_GRANT_ADMIN("user.grant-admin"),
    USER_REVOKE_ADMIN("user.revoke-admin"),
    USER_DELETE("user.delete"),
    IMMUTABLE_TAG_RULE_ADD("immutable-tags.add"),
    IMMUTABLE_TAG_RULE_REMOVE("immutable-tags.remove"),
    QUOTA_SET("quotas.set"),
    QUOTA_CLEAR("quotas.clear"),
    RETENTION_RULE_ADD("retention.add"),
    RETENTION_RULE_REMOVE("retention.remove"),
    REPOSITORY_DELETE("repository.delete");

    private final String stored;

    AuditAction(String stored) {
        this.stored = stored;
    }

    public String stored() {
        return stored;
    }

    @Override
    public String toString() {
        return stored;
    }
}
