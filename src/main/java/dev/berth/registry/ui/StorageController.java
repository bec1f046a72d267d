package dev.berth.registry.ui;

import dev.berth.registry.metadata.GcReviews;
import dev.berth.registry.metadata.GcRunRows;
import dev.berth.registry.metadata.RetentionRows;
import dev.berth.registry.metadata.StorageFigures;
import dev.berth.registry.repository.Quotas;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * /admin/storage: what is stored, what GC may reclaim now, its review queue and recent runs, the
 * recent retention runs and each namespace's quota use, for administrators.
 */
@Controller
class StorageController {

    private final Viewers viewers;
    private final StorageFigures figures;
    private final GcReviews reviews;
    private final GcRunRows runs;
    private final RetentionRows retention;
    private final Quotas quotas;
    private final Clock clock;

    StorageController(Viewers viewers, StorageFigures figures, GcReviews reviews, GcRunRows runs, RetentionRows retention,
                      Quotas quotas, Clock clock) {
        this.runs = runs;
        this.retention = retention;
        this.quotas = quotas;
        this.viewers = viewers;
        this.figures = figures;
        this.reviews = reviews;
        this.clock = clock;
    }

    @GetMapping("/admin/storage")
    String page(HttpServletRequest request, Model model) {
        Forms.requireAdmin(viewers.current(request));
        Instant now = clock.instant();
        model.addAttribute("figures", figures.now());
        model.addAttribute("queueDepth", reviews.depth());
        model.addAttribute("lag", reviews.oldestDue(now).map(due -> Duration.between(due, now)).orElse(Duration.ZERO));
        model.addAttribute("gcRuns", runs.recent(20));
        model.addAttribute("retentionRuns", retention.recentRuns(40).stream().filter(r -> !r.dryRun()).limit(20).toList());
        model.addAttribute("quotaUses", quotas.uses());
        return "admin-storage";
    }
}
