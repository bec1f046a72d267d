package dev.berth.cli;

import dev.berth.runtime.container.Containers;
import dev.berth.runtime.container.JsonLog;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth logs [-f] [--tail N] [-t] CONTAINER}: what the container wrote, from the log its
 * supervisor keeps (so it outlives the container), each entry to the stream it came from.
 */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print a container's output (stdout and stderr).")
final class LogsCommand implements Callable<Integer> {

    @Mixin
    RuntimeOptions runtime;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Option(names = {"-f", "--follow"}, description = "Keep printing what it writes until it exits.")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", defaultValue = "all", description = "Only the last N lines (default: all).")
    String tail;

    @Option(names = {"-t", "--timestamps"}, description = "Prefix each line with the time it was written.")
    boolean timestamps;

    @Override
    public Integer call() throws Exception {
        int last = tail.equals("all") ? -1 : parseTail(tail);
        Containers containers = new Containers(runtime.root());
        String id = containers.resolve(container);
        Path log = containers.dir(id).resolve(JsonLog.FILE);
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (InputStream in = open(log)) {
            LineReader lines = new LineReader(in);
            Deque<String> kept = new ArrayDeque<>();
            for (String line; (line = lines.next()) != null; ) {
                kept.addLast(line);
                if (last >= 0 && kept.size() > last) {
                    kept.removeFirst();
                }
            }
            kept.forEach(l -> print(l, out, err));
            out.flush();
            while (follow) {
                String line = lines.next();
                if (line != null) {
                    print(line, out, err);
                    continue;
                }
                out.flush();
                err.flush();
                if (!stillRunning(containers, id)) {
                    for (String rest; (rest = lines.next()) != null; ) {
                        print(rest, out, err); // written between the last read and the exit
                    }
                    break;
                }
                Thread.sleep(100);
            }
        }
        out.flush();
        err.flush();
        return 0;
    }

    private static int parseTail(String tail) {
        try {
            int n = Integer.parseInt(tail);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("invalid --tail " + tail + ": expected a number of lines or all");
    }

    private static InputStream open(Path log) throws IOException {
        try {
            return Files.newInputStream(log);
        } catch (NoSuchFileException | FileNotFoundException e) {
            return InputStream.nullInputStream(); // never started detached: nothing was logged
        }
    }

    private static boolean stillRunning(Containers containers, String id) throws Exception {
        Optional<Containers.Container> c = containers.get(id);
        return c.isPresent() && c.get().running();
    }

    private void print(String line, PrintStream out, PrintStream err) {
        JsonLog.Entry e;
        try {
            e = JsonLog.parse(line);
        } catch (IllegalArgumentException unreadable) {
            return; // a line cut by a full disk: docker skips it too
        }
        PrintStream to = e.stream().equals("stderr") ? err : out;
        if (timestamps) {
            to.print(e.time() + " ");
        }
        to.print(e.log());
    }

    /** Whole lines of a file that may still grow: a line without its newline yet is held back. */
    static final class LineReader {
        private final InputStream in;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private final byte[] buf = new byte[8192];
        private int pos;
        private int end;

        LineReader(InputStream in) {
            this.in = in;
        }

        String next() throws IOException {
            while (true) {
                while (pos < end) {
                    byte b = buf[pos++];
                    if (b == '\n') {
                        String line = partial.toString(StandardCharsets.UTF_8);
                        partial.reset();
                        return line;
                    }
                    partial.write(b);
                }
                end = in.read(buf);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    return null;
                }
            }
        }
    }
}
