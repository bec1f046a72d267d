package dev.berth.testing;

import com.sun.security.auth.module.UnixSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs of the machine. Missing, the test is skipped on a developer's machine and
 * fails under {@code CI=true}, where .ci/run must have provided it.
 */
public final class Requirements {

    private Requirements() {
    }

    public static void root() {
        require(new UnixSystem().getUid() == 0, "this test needs root (mknod, mounts, chown, runc)");
    }

    public static Path executable(String name, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/usr/bin", "/sbin", "/bin"}) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        require(false, name + " is not installed (Debian package " + debianPackage + ")");
        return null;
    }

    private static void require(boolean met, String what) {
        if (met) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(what + "; .ci/run must provide it");
        }
        Assumptions.abort(what);
    }
}
