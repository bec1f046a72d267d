package dev.berth.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The settings an offline command reads as {@code berth serve} does: its {@code --name=value} arguments and data directory. */
final class ServeSettings {

    private ServeSettings() {
    }

    /** Spring's arguments for {@code springArguments} (each {@code --name=value}) and {@code dataDir} (may be null). */
    static List<String> arguments(List<String> springArguments, Path dataDir) {
        for (String a : springArguments) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("unknown argument " + a + " (settings are given as --name=value)");
            }
        }
        List<String> args = new ArrayList<>(springArguments);
        if (dataDir != null) {
            args.add("--berth.data-dir=" + dataDir.toAbsolutePath());
        }
        return args;
    }
}
