package dev.berth.runtime.bundle;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A tmpfs from {@code --tmpfs PATH[:OPTIONS]}, a fresh empty one on every start of the container.
 * OPTIONS are the mount options docker allows (size, mode, uid, gid, and rw/ro, exec/noexec,
 * suid/nosuid, dev/nodev); by default, as docker's, {@code noexec,nosuid,nodev}.
 *
 * @param options what was given, as given ("" for none)
 */
public record Tmpfs(String destination, String options) {

    private static final Pattern VALUED = Pattern.compile("(size=[0-9]+[kmgKMG%]?|mode=[0-7]{3,4}|uid=[0-9]+|gid=[0-9]+)");
    private static final List<String> FLAGS = List.of("rw", "ro", "exec", "noexec", "suid", "nosuid", "dev", "nodev");

    public static Tmpfs parse(String spec) {
        int colon = spec.indexOf(':');
        String path = colon < 0 ? spec : spec.substring(0, colon);
        String options = colon < 0 ? "" : spec.substring(colon + 1);
        String destination = Volume.destination(path, "tmpfs " + spec);
        if (!options.isEmpty()) {
            for (String o : options.split(",", -1)) {
                if (!FLAGS.contains(o) && !VALUED.matcher(o).matches()) {
                    throw new IllegalArgumentException("invalid tmpfs " + spec + ": unknown option " + (o.isEmpty() ? "\"\"" : o)
                            + " (size=N[k|m|g], mode=OCTAL, uid=N, gid=N, rw, ro, exec, noexec, suid, nosuid, dev, nodev)");
                }
            }
        }
        return new Tmpfs(destination, options);
    }

    /** The options the mount gets: docker's defaults, then what was given (a later option wins). */
    List<String> mountOptions() {
        List<String> all = new ArrayList<>(List.of("noexec", "nosuid", "nodev"));
        if (!options.isEmpty()) {
            all.addAll(List.of(options.split(",")));
        }
        return all;
    }
}
