package dev.berth.registry.metadata;

import dev.berth.oci.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Each namespace's stored bytes ({@code namespace_usage}, see V10__namespace_quotas.sql) and the
 * limits set in the web UI ({@code namespace_quotas}). The accounting methods run in the
 * transaction that added or dropped a reference (a blob link or a manifest row), after that
 * change: they take the namespace's row lock, so that changes of one namespace are accounted one
 * transaction after the other, and then count the digest's references in the namespace again
 * (read committed: each count sees every change committed before the lock was granted, and its
 * own). The size is added when that count is 1 (this reference is the only one) and taken off
 * when it is 0, so two repositories of one namespace linking one blob at once add it once, and
 * the lock is the last one these transactions take (after blob and repository stats rows).
 */
@Component
public class QuotaRows {

    /** What an accounted change did: the namespace, the bytes it added (negative: freed), its use after. */
    public record Change(String namespace, long addedBytes, long usedBytes) {
        public static final Change NONE = new Change("", 0, 0);
    }

    /** A namespace's use and, if set in the web UI, its limit. */
    public record Usage(String namespace, long usedBytes, Long maxBytes, String setBy, Instant setAt) {
    }

    /** The namespace of a repository name, in SQL: its first path component (as auth.Names.namespaceOf). */
    static String namespaceOf(String column) {
        return "case when position('/' in " + column + ") > 0 then substring(" + column + " from 1 for position('/' in "
                + column + ") - 1) else " + column + " end";
    }

    /** The namespace of a repository name: its first path component, or the whole name. */
    public static String namespaceOf(dev.berth.oci.RepositoryName name) {
        String value = name.value();
        int slash = value.indexOf('/');
        return slash < 0 ? value : value.substring(0, slash);
    }

    private static final String REFERENCES = """
            select (select count(*) from blob_links l join repositories r on r.id = l.repository_id
                    where l.digest = :digest and %1$s = :namespace)
                 + (select count(*) from manifests m join repositories r on r.id = m.repository_id
                    where m.digest = :digest and %1$s = :namespace)""".formatted(namespaceOf("r.name"));

    private final NamedParameterJdbcTemplate jdbc;

    QuotaRows(JdbcTemplate jdbc) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
    }

    /** The repository referenced {@code digest} ({@code size} bytes) once more; the row is already written. */
    public Change referenced(long repositoryId, Digest digest, long size) {
        String namespace = lock(repositoryId);
        long refs = references(namespace, digest);
        return move(namespace, refs == 1 ? size : 0);
    }

    /** The repository references {@code digest} ({@code size} bytes) once less; the row is already deleted. */
    public Change unreferenced(long repositoryId, Digest digest, long size) {
        String namespace = lock(repositoryId);
        long refs = references(namespace, digest);
        return move(namespace, refs == 0 ? -size : 0);
    }

    /**
     * As {@link #unreferenced}, with the namespace's lock and count put off to just before the
     * transaction commits (for link deletes: GC drops the links of one blob in several
     * repositories, each under that repository's stats lock, and must not hold a namespace's lock
     * while it waits for the next stats lock, which a manifest push holds while it waits for the
     * namespace's). Freeing needs no quota check, so nothing has to be known before then. The
     * digest's references are counted then, after every other change of the transaction: no
     * reference left in the namespace takes the size off, once however many of its links went.
     * Outside a transaction it is accounted at once.
     */
    public void unreferencedAtCommit(long repositoryId, Digest digest, long size) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            unreferenced(repositoryId, digest, size);
            return;
        }
        String namespace = jdbc.queryForObject("select " + namespaceOf("name") + " from repositories where id = :id",
                new MapSqlParameterSource("id", repositoryId), String.class);
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(Pending.class);
        if (pending == null) {
            Pending created = new Pending();
            TransactionSynchronizationManager.bindResource(Pending.class, created);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    created.drops.forEach((key, bytes) -> {
                        lockNamespace(key.namespace());
                        if (references(key.namespace(), key.digest()) == 0) {
                            move(key.namespace(), -bytes);
                        }
                    });
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(Pending.class);
                }
            });
            pending = created;
        }
        pending.drops.putIfAbsent(new Drop(namespace, digest), size);
    }

    private record Drop(String namespace, Digest digest) implements Comparable<Drop> {
        @Override
        public int compareTo(Drop o) {
            int c = namespace.compareTo(o.namespace);
            return c != 0 ? c : digest.toString().compareTo(o.digest.toString());
        }
    }

    /** A transaction's link drops still to account, in namespace order (two such commits lock namespaces in one order). */
    private static final class Pending {
        final java.util.SortedMap<Drop, Long> drops = new java.util.TreeMap<>();
    }

    /**
     * What referencing {@code digest} ({@code size} bytes) from the repository would add, before the
     * row is written: the namespace's lock is taken here and held to the end of the transaction, so
     * the answer holds for the insert that follows (whose {@link #referenced} then adds the same).
     */
    public Change wouldReference(long repositoryId, Digest digest, long size) {
        String namespace = lock(repositoryId);
        long added = references(namespace, digest) == 0 ? size : 0;
        return new Change(namespace, added, used(namespace) + added);
    }

    /**
     * The repository's references are about to be deleted with it (call before the delete, in its
     * transaction, after the repository's stats lock): takes off the bytes of the digests that no
     * other repository of the namespace references. Blob links and manifests deleted one by one
     * through StatsRows.unlinked and ManifestRecords.deleteManifest need no call here.
     */
    public Change repositoryDropping(long repositoryId) {
        String namespace = lock(repositoryId);
        String other = namespaceOf("o.name");
        Long freed = jdbc.queryForObject("""
                select coalesce(sum(d.size_bytes), 0) from (
                  select distinct c.digest, c.size_bytes from (
                    select l.digest, b.size_bytes from blob_links l join blobs b on b.digest = l.digest where l.repository_id = :id
                    union all
                    select m.digest, m.size_bytes from manifests m where m.repository_id = :id) c
                  where not exists (select 1 from blob_links ol join repositories o on o.id = ol.repository_id
                                    where ol.digest = c.digest and o.id <> :id and %1$s = :namespace)
                    and not exists (select 1 from manifests om join repositories o on o.id = om.repository_id
                                    where om.digest = c.digest and o.id <> :id and %1$s = :namespace)) d""".formatted(other),
                new MapSqlParameterSource("id", repositoryId).addValue("namespace", namespace), Long.class);
        return move(namespace, -(freed == null ? 0 : freed));
    }

    /** The namespace's use as counted, 0 when nothing was ever stored in it. */
    public long used(String namespace) {
        return jdbc.query("select used_bytes from namespace_usage where namespace = :ns", new MapSqlParameterSource("ns", namespace),
                (rs, i) -> rs.getLong(1)).stream().findFirst().orElse(0L);
    }

    /**
     * The namespace's use counted the slow way, from the references themselves (for checks and
     * tests: it must always equal {@link #used}).
     */
    public long recount(String namespace) {
        Long n = jdbc.queryForObject("""
                select coalesce(sum(d.size_bytes), 0) from (
                  select distinct c.digest, c.size_bytes from (
                    select l.repository_id, l.digest, b.size_bytes from blob_links l join blobs b on b.digest = l.digest
                    union all
                    select m.repository_id, m.digest, m.size_bytes from manifests m) c
                  join repositories r on r.id = c.repository_id where %s = :ns) d""".formatted(namespaceOf("r.name")),
                new MapSqlParameterSource("ns", namespace), Long.class);
        return n == null ? 0 : n;
    }

    /** Every namespace that has had a repository or a limit set in the web UI, by name. */
    public List<Usage> all() {
        return jdbc.query("""
                select u.namespace, u.used_bytes, q.max_bytes, q.set_by, q.set_at
                from namespace_usage u left join namespace_quotas q on q.namespace = u.namespace
                order by u.namespace""", new MapSqlParameterSource(),
                (rs, i) -> new Usage(rs.getString(1), rs.getLong(2), rs.getObject(3) == null ? null : rs.getLong(3),
                        rs.getString(4), Timestamps.instant(rs, 5)));
    }

    /** The limit set in the web UI for the namespace, if any. */
    public Optional<Long> storedLimit(String namespace) {
        return jdbc.query("select max_bytes from namespace_quotas where namespace = :ns", new MapSqlParameterSource("ns", namespace),
                (rs, i) -> rs.getLong(1)).stream().findFirst();
    }

    /**
     * Sets (or replaces) the namespace's limit, and gives it a usage row (so that {@link #all} lists
     * it); call in a retried transaction (two first inserts of a row race on its key).
     */
    public void setLimit(String namespace, long maxBytes, String setBy, Instant now) {
        MapSqlParameterSource ns = new MapSqlParameterSource("ns", namespace);
        if (jdbc.update("update namespace_usage set used_bytes = used_bytes where namespace = :ns", ns) == 0) {
            jdbc.update("insert into namespace_usage (namespace, used_bytes) values (:ns, 0)", ns);
        }
        MapSqlParameterSource p = new MapSqlParameterSource("ns", namespace).addValue("max", maxBytes).addValue("by", setBy)
                .addValue("at", BlobRecords.timestamp(now));
        if (jdbc.update("update namespace_quotas set max_bytes = :max, set_by = :by, set_at = :at where namespace = :ns", p) == 0) {
            jdbc.update("insert into namespace_quotas (namespace, max_bytes, set_by, set_at) values (:ns, :max, :by, :at)", p);
        }
    }

    /** @return whether there was a limit to remove */
    public boolean clearLimit(String namespace) {
        return jdbc.update("delete from namespace_quotas where namespace = :ns", new MapSqlParameterSource("ns", namespace)) > 0;
    }

    /**
     * Locks the repository's namespace row, inserting it first if it is missing (a namespace whose
     * first repository came before this row existed); a race of two such inserts fails one on
     * the key, and its retried transaction then finds the row. The update comes first: H2 2.4
     * does not see a row it inserted and updated in this transaction in a later insert's WHERE NOT EXISTS.
     */
    private String lock(long repositoryId) {
        MapSqlParameterSource p = new MapSqlParameterSource("id", repositoryId);
        String namespace = jdbc.queryForObject("select " + namespaceOf("name") + " from repositories where id = :id", p, String.class);
        lockNamespace(namespace);
        return namespace;
    }

    private void lockNamespace(String namespace) {
        MapSqlParameterSource ns = new MapSqlParameterSource("ns", namespace);
        if (jdbc.update("update namespace_usage set used_bytes = used_bytes where namespace = :ns", ns) == 0) {
            jdbc.update("insert into namespace_usage (namespace, used_bytes) values (:ns, 0)", ns);
        }
    }

    private long references(String namespace, Digest digest) {
        Long n = jdbc.queryForObject(REFERENCES, new MapSqlParameterSource("digest", digest.toString()).addValue("namespace", namespace),
                Long.class);
        return n == null ? 0 : n;
    }

    private Change move(String namespace, long delta) {
        MapSqlParameterSource p = new MapSqlParameterSource("ns", namespace).addValue("d", delta);
        if (delta != 0) {
            jdbc.update("update namespace_usage set used_bytes = used_bytes + :d where namespace = :ns", p);
        }
        return new Change(namespace, delta, used(namespace));
    }
}
