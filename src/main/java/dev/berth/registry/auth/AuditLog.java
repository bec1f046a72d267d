package dev.berth.registry.auth;

import dev.berth.oci.Digest;
import dev.berth.oci.ManifestReference;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.metadata.AuditRows;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Every push, delete and permission change: who, what, when and from where. Written in the
 * caller's transaction when there is one, so an event is kept exactly when its change is; also
 * logged to the {@code berth.audit} logger for log shippers, once that transaction has committed.
 */
@Service
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger("berth.audit");

    private final AuditRows rows;
    private final Clock clock;

    AuditLog(AuditRows rows, Clock clock) {
        this.rows = rows;
        this.clock = clock;
    }

    public void record(Caller actor, AuditAction action, String target, String clientAddress, String detail) {
        record(actor.displayName(), action, target, clientAddress, detail);
    }

    public void record(String actor, AuditAction action, String target, String clientAddress, String detail) {
        rows.insert(clock.instant(), cut(actor, 130), action.stored(), cut(target, 400), cut(clientAddress, 64),
                cut(detail, 1000));
        Runnable line = () -> log.info("{} {} {} from {}{}", actor, action, target, clientAddress,
                detail == null ? "" : " (" + detail + ")");
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // A transaction that is rolled back, or retried after a lost race, logs nothing.
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    line.run();
                }
            });
        } else {
            line.run();
        }
    }

    /** The target of a manifest, tag or blob event: {@code name:tag} or {@code name@digest}. */
    public static String target(RepositoryName repository, ManifestReference reference) {
        return repository + (reference instanceof ManifestReference.ByTag ? ":" : "@") + reference;
    }

    /** The target of a blob event: {@code name@digest}. */
    public static String target(RepositoryName repository, Digest blob) {
        return repository + "@" + blob;
    }

    /**
     * The newest events first.
     *
     * @param beforeId only events older than this one (for the next page); null for the newest
     * @param limit    how many at most
     */
    public List<AuditEvent> recent(Long beforeId, int limit) {
        return rows.newest(beforeId, limit).stream().map(AuditLog::event).toList();
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static AuditEvent event(AuditRows.Row row) {
        return new AuditEvent(row.id(), row.occurredAt(), row.actor(), row.action(), row.target(), row.clientAddress(),
                row.detail());
    }
}
