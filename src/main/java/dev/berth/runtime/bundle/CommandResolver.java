package dev.berth.runtime.bundle;

import dev.berth.oci.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Docker's rules for what a container runs, and with which environment. */
final class CommandResolver {

    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private CommandResolver() {
    }

    /**
     * Entrypoint + Cmd. {@code --entrypoint} replaces the image's Entrypoint and drops its Cmd;
     * arguments after the image replace Cmd. Nothing left to run is an error.
     */
    static List<String> argv(ImageConfig.Execution image, RunOptions options) {
        List<String> entrypoint;
        if (options.entrypoint() != null) {
            entrypoint = options.entrypoint().isEmpty() ? List.of() : List.of(options.entrypoint());
        } else {
            entrypoint = image.entrypoint() == null ? List.of() : image.entrypoint();
        }
        List<String> cmd;
        if (!options.args().isEmpty()) {
            cmd = options.args();
        } else if (options.entrypoint() != null) {
            cmd = List.of();
        } else {
            cmd = image.cmd() == null ? List.of() : image.cmd();
        }
        List<String> argv = new ArrayList<>(entrypoint);
        argv.addAll(cmd);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("no command specified: the image has no Entrypoint or Cmd; give one after the image");
        }
        return argv;
    }

    /** The image's Env, then {@code -e}; later keys win. PATH, HOSTNAME and HOME get docker's defaults. */
    static List<String> env(ImageConfig.Execution image, RunOptions options, String hostname, String home) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH);
        env.put("HOSTNAME", hostname);
        for (List<String> source : List.of(image.env(), options.env())) {
            for (String entry : source) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("invalid environment entry " + entry + ": expected KEY=VALUE");
                }
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        env.putIfAbsent("HOME", home);
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
