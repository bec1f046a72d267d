package dev.berth.cli;

import java.util.Locale;
import java.util.regex.Pattern;

/** A signal as docker takes it ({@code KILL}, {@code SIGKILL}, {@code kill}, {@code 9}), in the form runc and crun take. */
final class Signals {

    /** Linux's signal names (signal(7)), and real-time ones as RTMIN+N / RTMAX-N. */
    private static final java.util.Set<String> NAMES = java.util.Set.of("HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "IOT",
            "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP",
            "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "POLL", "PWR", "SYS", "RTMIN", "RTMAX");
    private static final Pattern REALTIME = Pattern.compile("RTMIN\\+([0-9]{1,2})|RTMAX-([0-9]{1,2})");

    private Signals() {
    }

    static String parse(String signal) {
        String s = signal.strip().toUpperCase(Locale.ROOT);
        if (s.matches("[0-9]{1,2}")) {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 64) {
                return Integer.toString(n);
            }
        } else {
            String name = s.startsWith("SIG") ? s.substring(3) : s;
            if (NAMES.contains(name) || REALTIME.matcher(name).matches()) {
                return "SIG" + name;
            }
        }
        throw new IllegalArgumentException("invalid signal: " + signal);
    }
}
