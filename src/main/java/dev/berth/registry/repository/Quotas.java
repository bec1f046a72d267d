package dev.berth.registry.repository;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.registry.metadata.QuotaRows;
import dev.berth.registry.metadata.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * Storage quotas per namespace. What counts is every distinct digest the namespace's repositories
 * reference, once however many of them do: blobs linked there (layers, configs, anything pushed or
 * mounted) and manifests (their bytes as pushed). A blob upload's completion, a mount or a
 * manifest push that would add bytes past the namespace's limit is refused with {@code DENIED}
 * (403) and "quota exceeded: USED of LIMIT", USED being the use the change would have brought;
 * one that adds nothing (a blob or manifest the namespace holds already) always passes, also
 * over a limit lowered below the use. Landing exactly on the limit passes.
 *
 * <p>The limits are those of {@code berth.quotas}, then those administrators set in the web UI
 * (stored, so every server on the database applies them); a namespace the configuration limits
 * cannot be set in the UI. The use is kept by {@link QuotaRows}, in the transactions that change it.
 */
@Component
public class Quotas {

    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    /**
     * A namespace's use and limit, for pages and metrics.
     *
     * @param maxBytes   null when no limit is set
     * @param limitedBy  {@code berth.quotas[0]}, or who set the limit in the web UI; null without a limit
     * @param configured whether the limit comes from the configuration (the UI cannot change it)
     */
    public record Use(String namespace, long usedBytes, Long maxBytes, String limitedBy, boolean configured) {

        /** How full the namespace is, 0 to 100 (more when over a lowered limit); 0 without a limit. */
        public int percent() {
            if (maxBytes == null || maxBytes == 0) {
                return maxBytes == null || usedBytes == 0 ? 0 : 100;
            }
            return (int) Math.min(1000, usedBytes * 100 / maxBytes);
        }
    }

    private record Configured(String name, long maxBytes) {
    }

    private final Map<String, Configured> configured;
    private final QuotaRows rows;
    private final Transactions transactions;
    private final Clock clock;

    Quotas(QuotaSettings settings, QuotaRows rows, Transactions transactions, Clock clock) {
        this.configured = compile(settings.quotas());
        this.rows = rows;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The namespace's limit in force, if any. */
    public Optional<Long> limit(String namespace) {
        Configured c = configured.get(namespace);
        return c != null ? Optional.of(c.maxBytes()) : rows.storedLimit(namespace);
    }

    /** Refuses a change that added bytes past its namespace's limit (its transaction then rolls back whole). */
    void requireWithin(QuotaRows.Change change) {
        if (change.addedBytes() <= 0) {
            return;
        }
        limit(change.namespace()).filter(max -> change.usedBytes() > max).ifPresent(max -> {
            throw new OciException(OciErrorCode.DENIED, message(change.usedBytes(), max),
                    Map.of("namespace", change.namespace(), "used", change.usedBytes(), "limit", max));
        });
    }

    /**
     * Refuses, before its row is written, a reference to {@code digest} from the repository that
     * would pass the namespace's limit (a manifest push); holds the namespace's lock for the rest of the transaction.
     */
    public void requireRoom(long repositoryId, Digest digest, long size) {
        requireWithin(rows.wouldReference(repositoryId, digest, size));
    }

    /** Every namespace with a repository or a limit, with its use, by name; configured limits first in their own right. */
    public List<Use> uses() {
        Map<String, Use> all = new TreeMap<>();
        for (QuotaRows.Usage u : rows.all()) {
            Configured c = configured.get(u.namespace());
            all.put(u.namespace(), c != null
                    ? new Use(u.namespace(), u.usedBytes(), c.maxBytes(), c.name(), true)
                    : new Use(u.namespace(), u.usedBytes(), u.maxBytes(), u.maxBytes() == null ? null : u.setBy(), false));
        }
        configured.forEach((ns, c) -> all.putIfAbsent(ns, new Use(ns, 0, c.maxBytes(), c.name(), true)));
        return List.copyOf(all.values());
    }

    /**
     * Sets a namespace's limit from the web UI.
     *
     * @throws IllegalArgumentException with a message for the form
     */
    public void set(String namespace, long maxBytes, String setBy) {
        String ns = namespace == null ? "" : namespace.strip();
        if (ns.isEmpty() || ns.length() > 255 || ns.contains("/")) {
            throw new IllegalArgumentException("namespace is a repository name's first path component, such as team");
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("the limit cannot be negative");
        }
        Configured c = configured.get(ns);
        if (c != null) {
            throw new IllegalArgumentException("the quota of " + ns + " is set by " + c.name() + " in the configuration");
        }
        Instant now = clock.instant();
        transactions.retryingOnConflict(() -> {
            rows.setLimit(ns, maxBytes, setBy, now);
            return null;
        });
    }

    /** Removes a limit set in the web UI. @return whether there was one */
    public boolean clear(String namespace) {
        return rows.clearLimit(namespace);
    }

    /** "quota exceeded: USED of LIMIT", in decimal units; in bytes when rounding would show the two equal. */
    static String message(long used, long limit) {
        String u = human(used);
        String l = human(limit);
        if (u.equals(l)) {
            u = used + "B";
            l = limit + "B";
        }
        return "quota exceeded: " + u + " of " + l;
    }

    /** Bytes in decimal units with up to three significant digits: 999B, 1kB, 10.5MB, 1.23GB. */
    public static String human(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        String number = String.format(Locale.ROOT, unit == 0 ? "%.0f" : "%.3g", value);
        if (number.contains(".")) {
            number = number.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return number + UNITS[unit];
    }

    /** The limits as configured, each checked: one that cannot be read stops the server from starting. */
    static Map<String, Configured> compile(List<QuotaSettings.Quota> quotas) {
        Map<String, Configured> compiled = new LinkedHashMap<>();
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < quotas.size(); i++) {
            String name = "berth.quotas[" + i + "]";
            QuotaSettings.Quota q = quotas.get(i);
            if (q.namespace() == null || q.namespace().isBlank() || q.namespace().contains("/")) {
                throw new IllegalStateException(name + ".namespace is missing or not a namespace (a repository name's first path component)");
            }
            if (q.maxBytes() == null || q.maxBytes().isNegative()) {
                throw new IllegalStateException(name + ".max-bytes is missing or negative: a size such as 10GB");
            }
            String ns = q.namespace().strip();
            if (seen.put(ns, name) != null) {
                throw new IllegalStateException(name + " limits " + ns + " again, after " + compiled.get(ns).name());
            }
            compiled.put(ns, new Configured(name, q.maxBytes().toBytes()));
        }
        return Map.copyOf(compiled);
    }
}
