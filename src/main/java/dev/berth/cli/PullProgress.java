package dev.berth.cli;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import dev.berth.runtime.image.PullListener;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pull output like docker's: on a terminal, one line per layer, the block redrawn in place as the
 * layers (several at a time) progress; on anything else (a pipe, a log) plain lines only when a
 * layer starts and ends. Layers report from several threads, so every method holds the lock.
 */
final class PullProgress implements PullListener {

    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final Map<Digest, String> lines = new LinkedHashMap<>();
    private int drawn;
    private long lastDraw;
    private boolean downloaded;
    private Digest digest;

    PullProgress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    synchronized boolean downloadedAnything() {
        return downloaded;
    }

    synchronized Digest digest() {
        return digest;
    }

    static String shortId(Digest digest) {
        return digest.hex().substring(0, 12);
    }

    @Override
    public synchronized void resolved(ImageReference reference, Digest resolved) {
        this.digest = resolved;
        String what = reference.tag() != null ? reference.tag().value() : reference.digest().toString();
        out.println(what + ": Pulling from " + reference.familiarRepository());
        out.flush();
    }

    @Override
    public synchronized void layerExists(Descriptor layer) {
        show(layer, "Already exists");
    }

    @Override
    public synchronized void layerStarted(Descriptor layer) {
        downloaded = true;
        show(layer, terminal ? "Downloading" : "Downloading " + Sizes.human(layer.size()));
    }

    @Override
    public synchronized void layerProgress(Descriptor layer, long bytes) {
        if (!terminal) {
            return;
        }
        int width = 40;
        int done = layer.size() == 0 ? width : (int) (width * bytes / layer.size());
        String bar = "=".repeat(Math.max(0, done - 1)) + (done > 0 && done < width ? ">" : done == width ? "=" : "")
                + " ".repeat(width - done);
        lines.put(layer.digest(), "Downloading [" + bar + "] " + Sizes.human(bytes) + "/" + Sizes.human(layer.size()));
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS || bytes >= layer.size()) {
            lastDraw = now;
            redraw();
        }
    }

    @Override
    public synchronized void layerDone(Descriptor layer) {
        show(layer, "Pull complete");
    }

    private void show(Descriptor layer, String status) {
        if (terminal) {
            lines.put(layer.digest(), status);
            redraw();
        } else {
            out.println(shortId(layer.digest()) + ": " + status);
            out.flush();
        }
    }

    /** Moves up to the first layer's line and writes every layer's line again. */
    private void redraw() {
        StringBuilder text = new StringBuilder();
        if (drawn > 0) {
            text.append("\033[").append(drawn).append('A');
        }
        lines.forEach((layer, status) -> text.append("\r\033[K").append(shortId(layer)).append(": ").append(status).append('\n'));
        drawn = lines.size();
        out.print(text);
        out.flush();
    }
}
