package dev.berth.registry.retention;

import dev.berth.oci.Digest;
import dev.berth.oci.ManifestReference;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.registry.auth.AuditAction;
import dev.berth.registry.auth.AuditLog;
import dev.berth.registry.manifest.ImmutableTags;
import dev.berth.registry.manifest.ManifestService;
import dev.berth.registry.metadata.RetentionRows;
import dev.berth.registry.metadata.RetentionRows.TagRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/**
 * Retention: the rules of {@code berth.retention} and of the web UI, planned against the tags'
 * push times and carried out through {@link ManifestService#deleteTagAt} (the path of a tag delete over
 * /v2 or the UI: immutable tags refused, GC reviews queued) with a {@code tag.delete} audit row
 * per tag. A tag goes only when a rule whose glob matches its repository would remove it and no
 * such rule keeps it (see {@link RetentionRule}), and no immutable-tag rule covers it. A run takes
 * the {@code retention_lock} lease first, so servers on one database never run the rules at once.
 */
@Component
public class Retention {

    /** The actor of the audit rows and runs that the schedule starts. */
    static final String SCHEDULE = "retention schedule";
    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    /** What a real run did, or that another server was running the rules. */
    public record Outcome(boolean ran, RetentionPlan plan, int tagsRemoved) {
    }

    private final List<RetentionRule> configured;
    /** A run's lease, renewed before each removal: a server that dies mid-run holds the rules back at most this long. */
    private final Duration lease;
    private final RetentionRows rows;
    private final ManifestService manifests;
    private final ImmutableTags immutableTags;
    private final AuditLog audit;
    private final Clock clock;
    private final String holder = UUID.randomUUID().toString();
    private final ConcurrentMap<RetentionRows.RuleRow, RetentionRule> compiledRows = new ConcurrentHashMap<>();
    /** Runs after the plan of a real run and before its first removal (tests hold a run here). */
    private volatile Runnable beforeRemoving = () -> { };

    Retention(RetentionSettings settings, RetentionRows rows, ManifestService manifests, ImmutableTags immutableTags,
              AuditLog audit, Clock clock) {
        this.configured = compile(settings.retention());
        this.lease = settings.retentionLease();
        this.rows = rows;
        this.manifests = manifests;
        this.immutableTags = immutableTags;
        this.audit = audit;
        this.clock = clock;
    }

    static List<RetentionRule> compile(List<RetentionSettings.Rule> rules) {
        List<RetentionRule> compiled = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            RetentionSettings.Rule r = rules.get(i);
            try {
                compiled.add(RetentionRule.of("berth.retention[" + i + "]", "berth.retention[" + i + "].", r.repositories(), r.keepLast(), r.keepTags(),
                        r.olderThan(), null, null));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage()); // stops the start, naming the rule
            }
        }
        return List.copyOf(compiled);
    }

    /** Every rule in force: the configuration's, then the web UI's. */
    public List<RetentionRule> rules() {
        List<RetentionRule> all = new ArrayList<>(configured);
        for (RetentionRows.RuleRow row : rows.rules()) {
            all.add(compiledRows.computeIfAbsent(row, r -> RetentionRule.of("rule #" + r.id() + " set in the web UI", "",
                    r.repositories(), r.keepLast(), r.keepTags(), r.olderThan() == null ? null : Duration.parse(r.olderThan()),
                    r.id(), r.createdBy())));
        }
        return all;
    }

    /**
     * Stores a rule set in the web UI, after checking it.
     *
     * @param olderThan a duration as the configuration writes it (30d, 12h, 90m) or ISO-8601, or blank
     * @return the rule, as the page and audit log show it
     * @throws IllegalArgumentException with a message for the form
     */
    public String add(String repositories, Integer keepLast, String keepTags, String olderThan, String createdBy) {
        Duration age;
        try {
            age = olderThan == null || olderThan.isBlank() ? null : DurationStyle.detectAndParse(olderThan.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("older-than is not a duration such as 30d or 12h: " + olderThan);
        }
        String tags = keepTags == null || keepTags.isEmpty() ? null : keepTags;
        RetentionRule rule = RetentionRule.of("the rule", "", repositories, keepLast, tags, age, null, null);
        rows.insertRule(rule.repositoryGlob(), keepLast, tags, age == null ? null : age.toString(), createdBy, clock.instant());
        return describe(rule);
    }

    /** Removes a rule set in the web UI. @return the rule removed, if there was one */
    public Optional<String> remove(long id) {
        return rows.deleteRule(id).map(r -> "repositories " + r.repositories()
                + (r.keepLast() == null ? "" : ", keep-last " + r.keepLast())
                + (r.keepTags() == null ? "" : ", keep-tags " + r.keepTags())
                + (r.olderThan() == null ? "" : ", older-than " + r.olderThan()));
    }

    private static String describe(RetentionRule rule) {
        String text = rule.toString();
        return text.substring(text.indexOf('(') + 1, text.length() - 1);
    }

    /** What the rules would remove now; records a dry run in the history. */
    public RetentionPlan dryRun(String actor) {
        Instant started = clock.instant();
        long run = rows.runStarted(started, true, actor);
        RetentionPlan plan = plan(rules(), started);
        rows.runFinished(run, clock.instant(), plan.removed().size(), plan.bytesFreed());
        return plan;
    }

    /** Plans and removes, under the lease; {@code ran} false (nothing done) when another run holds it. */
    public Outcome run(String actor, String clientAddress) {
        Instant started = clock.instant();
        if (!rows.tryLock(holder, started, started.plus(lease))) {
            return new Outcome(false, new RetentionPlan(List.of(), List.of(), 0), 0);
        }
        try {
            long run = rows.runStarted(started, false, actor);
            RetentionPlan plan = plan(rules(), started);
            beforeRemoving.run();
            int removed = 0;
            for (RetentionPlan.Entry entry : plan.removed()) {
                if (!rows.renewLock(holder, clock.instant().plus(lease))) {
                    // This run was too slow for its lease and another server's run took over: it goes on from there.
                    log.warn("retention run lost its lease after {} removals; the run holding it now goes on", removed);
                    break;
                }
                if (remove(entry, actor, clientAddress)) {
                    removed++;
                }
            }
            rows.runFinished(run, clock.instant(), removed, plan.bytesFreed());
            if (removed > 0) {
                log.info("retention removed {} tags ({} bytes for GC to free)", removed, plan.bytesFreed());
            }
            return new Outcome(true, plan, removed);
        } finally {
            rows.unlock(holder);
        }
    }

    private boolean remove(RetentionPlan.Entry entry, String actor, String clientAddress) {
        RepositoryName repository = RepositoryName.of(entry.repository());
        ManifestReference.ByTag reference = new ManifestReference.ByTag(Tag.of(entry.tag()));
        try {
            // Only while the tag is where the plan saw it: one pushed again since is new, and stays.
            return manifests.deleteTagAt(repository, reference.tag(), Digest.of(entry.digest()), () -> audit.record(actor,
                    AuditAction.TAG_DELETE, AuditLog.target(repository, reference), clientAddress, "retention: " + entry.reason()));
        } catch (OciException e) {
            if (e.code() == OciErrorCode.DENIED) {
                return false; // made immutable since the plan
            }
            throw e;
        }
    }

    /** Which tags the rules remove at {@code now}, and the bytes that frees. */
    RetentionPlan plan(List<RetentionRule> rules, Instant now) {
        List<RetentionPlan.Entry> removed = new ArrayList<>();
        List<RetentionPlan.Entry> immutable = new ArrayList<>();
        if (rules.isEmpty()) {
            return new RetentionPlan(removed, immutable, 0);
        }
        Map<String, List<TagRow>> byRepository = new LinkedHashMap<>();
        for (TagRow tag : rows.tags()) {
            byRepository.computeIfAbsent(tag.repository(), r -> new ArrayList<>()).add(tag);
        }
        Map<Long, Integer> tagsLeft = new java.util.HashMap<>();
        Set<Long> losing = new HashSet<>();
        byRepository.forEach((name, tags) -> {
            RepositoryName repository = RepositoryName.of(name);
            List<RetentionRule> applicable = rules.stream().filter(r -> r.repositories().matches(repository)).toList();
            for (TagRow tag : tags) {
                tagsLeft.merge(tag.manifestId(), 1, Integer::sum);
            }
            if (applicable.isEmpty()) {
                return;
            }
            for (int i = 0; i < tags.size(); i++) {
                TagRow tag = tags.get(i);
                Optional<RetentionRule> removing = Optional.empty();
                boolean kept = false;
                for (RetentionRule rule : applicable) {
                    if (keeps(rule, tag, i)) {
                        kept = true;
                        break;
                    }
                    if (removing.isEmpty() && (rule.olderThan() == null || tag.updatedAt().isBefore(now.minus(rule.olderThan())))) {
                        removing = Optional.of(rule);
                    }
                }
                if (kept || removing.isEmpty()) {
                    continue;
                }
                String reason = removing.get().toString();
                Optional<ImmutableTags.Rule> held = immutableTags.ruleFor(repository, Tag.of(tag.tag()));
                if (held.isPresent()) {
                    immutable.add(new RetentionPlan.Entry(name, tag.tag(), tag.digest(), tag.updatedAt(),
                            "immutable under " + held.get()));
                    continue;
                }
                removed.add(new RetentionPlan.Entry(name, tag.tag(), tag.digest(), tag.updatedAt(), reason));
                if (tagsLeft.merge(tag.manifestId(), -1, Integer::sum) == 0) {
                    losing.add(tag.manifestId());
                }
            }
        });
        return new RetentionPlan(List.copyOf(removed), List.copyOf(immutable), rows.bytesOnlyReferencedBy(losing));
    }

    /** {@code position}: the tag's place among its repository's tags, newest push first. */
    private static boolean keeps(RetentionRule rule, TagRow tag, int position) {
        return rule.keepLast() != null && position < rule.keepLast()
                || rule.keepTags() != null && rule.keepTags().matcher(tag.tag()).matches();
    }

    /** For tests: runs after a real run planned, before its first removal. */
    public void beforeRemoving(Runnable hook) {
        this.beforeRemoving = hook;
    }
}
