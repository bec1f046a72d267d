package dev.berth.runtime.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The hard resource limits berth itself runs under ({@code /proc/self/limits}). A container's
 * rlimits never go above them: without CAP_SYS_RESOURCE, raising a hard limit fails the start.
 */
final class HostLimits {

    private HostLimits() {
    }

    /** @param label the row's label in /proc/self/limits, e.g. {@code Max open files} */
    static OptionalLong hard(String label) {
        try {
            return hard(Files.readAllLines(Path.of("/proc/self/limits")), label);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong hard(Iterable<String> lines, String label) {
        for (String line : lines) {
            if (line.startsWith(label + " ")) {
                String[] fields = line.substring(label.length()).trim().split("\\s+");
                if (fields.length >= 2) {
                    return fields[1].equals("unlimited") ? OptionalLong.of(-1) : OptionalLong.of(Long.parseLong(fields[1]));
                }
            }
        }
        return OptionalLong.empty();
    }
}
