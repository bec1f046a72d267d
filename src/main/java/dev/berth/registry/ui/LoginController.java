package dev.berth.registry.ui;

import dev.berth.registry.auth.LoginThrottle;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The sign-in page. Spring Security handles its POST (see {@link UiSecurityConfiguration}) and comes back here on failure. */
@Controller
class LoginController {

    private final LoginThrottle throttle;
    private final Viewers viewers;

    LoginController(LoginThrottle throttle, Viewers viewers) {
        this.throttle = throttle;
        this.viewers = viewers;
    }

    @GetMapping("/login")
    String login(HttpServletRequest request, HttpServletResponse response, Model model,
                 @RequestParam(name = "next", required = false) String next,
                 @RequestParam(name = "error", required = false) String error) {
        if (viewers.current(request).signedIn()) {
            String target = SafeRedirects.sameSitePath(next);
            return "redirect:" + (target == null ? "/" : target);
        }
        Optional<Duration> wait = throttle.refusedFor(request.getRemoteAddr());
        if (wait.isPresent()) {
            // Too many failures from this address: say so, with the status clients and proxies understand.
            response.setStatus(429);
            response.setHeader("Retry-After", Long.toString(wait.get().toSeconds()));
            model.addAttribute("error", "Too many failed sign-ins from your address. Try again in "
                    + wait.get().toSeconds() + " seconds.");
        } else if (error != null) {
            model.addAttribute("error", "Wrong user name or password.");
        }
        model.addAttribute("next", SafeRedirects.sameSitePath(next));
        return "login";
    }
}
