package dev.berth.registry.ui;

import dev.berth.registry.gc.FsckService;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * /admin/storage-check: {@code berth fsck} from the web UI, for administrators. The button runs the
 * check in the request (it reads every blob file, so on a large store the page takes that long)
 * and the page lists what it found; repairs are the offline command's.
 */
@Controller
class StorageCheckController {

    private static final String PATH = "/admin/storage-check";

    private final Viewers viewers;
    private final FsckService fsck;

    StorageCheckController(Viewers viewers, FsckService fsck) {
        this.viewers = viewers;
        this.fsck = fsck;
    }

    @GetMapping(PATH)
    String page(HttpServletRequest request) {
        Forms.requireAdmin(viewers.current(request));
        return "admin-storage-check";
    }

    @PostMapping(PATH)
    String check(HttpServletRequest request, Model model) {
        SameOrigin.require(request);
        Forms.requireAdmin(viewers.current(request));
        try {
            model.addAttribute("result", fsck.check());
        } catch (IllegalStateException e) {
            model.addAttribute("busy", e.getMessage());
        }
        return "admin-storage-check";
    }
}
