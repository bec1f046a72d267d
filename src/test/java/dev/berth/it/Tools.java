package dev.berth.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the external clients the end-to-end tests drive. A missing tool skips the test on a
 * developer's machine, but fails it when {@code CI=true}: CI installs every one of them.
 */
final class Tools {

    private Tools() {
    }

    static boolean onCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** The absolute path of {@code name}, or the test is skipped (failed on CI). */
    static String require(String name, String debianPackage) {
        for (Path dir : searchPath()) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw missing(name + " is not installed (Debian package " + debianPackage + ")");
    }

    /** Skips the test because {@code what} is missing, or fails it when {@code CI=true}. */
    static AssertionError missing(String what) {
        String message = what + ", so this end-to-end test cannot run";
        if (onCi()) {
            Assertions.fail(message + "; CI=true, where every client must be present");
        }
        Assumptions.abort(message + "; skipped (it fails instead when CI=true)");
        return new AssertionError("unreachable");
    }

    /** PATH, plus the sbin directories a non-login shell may lack (dockerd lives in /usr/sbin). */
    private static List<Path> searchPath() {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    dirs.add(Path.of(entry));
                }
            }
        }
        for (String extra : List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            dirs.add(Path.of(extra));
        }
        return dirs;
    }
}
