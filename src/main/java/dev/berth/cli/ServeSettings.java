package dev.berth.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The settings an offline command reads as {@code berth serve} does, mixed into {@code fsck},
 * {@code gc} and {@code admin reset-password}: the data directory and any {@code --name=value}.
 */
final class ServeSettings {

    @Option(names = {"-d", "--data-dir"}, paramLabel = "DIR",
            description = "The data directory berth serve uses (default: ./data).")
    Path dataDir;

    /**
     * Spring's arguments: each {@code --name=value} of {@code springArguments} (the command's
     * {@code @Unmatched}, which picocli does not take from a mixin), and the data directory if one was given.
     */
    List<String> arguments(List<String> springArguments) {
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
