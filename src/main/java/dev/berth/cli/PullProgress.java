package dev.berth.cli;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import dev.berth.runtime.image.PullListener;
import java.io.PrintWriter;

/**
 * Pull output like docker's: one line per layer, redrawn in place with the bytes so far on a
 * terminal; on anything else (a pipe, a log) plain lines only when a layer starts and ends.
 */
final class PullProgress implements PullListener {

    private final PrintWriter out;
    private final boolean terminal;
    private long lastDraw;
    private boolean downloaded;
    private Digest digest;

    PullProgress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    boolean downloadedAnything() {
        return downloaded;
    }

    Digest digest() {
        return digest;
    }

    static String shortId(Digest digest) {
        return digest.hex().substring(0, 12);
    }

    @Override
    public void resolved(ImageReference reference, Digest resolved) {
        this.digest = resolved;
        String what = reference.tag() != null ? reference.tag().value() : reference.digest().toString();
        out.println(what + ": Pulling from " + reference.familiarRepository());
        out.flush();
    }

    @Override
    public void layerExists(Descriptor layer) {
        out.println(shortId(layer.digest()) + ": Already exists");
        out.flush();
    }

    @Override
    public void layerStarted(Descriptor layer) {
        downloaded = true;
        if (terminal) {
            out.print(shortId(layer.digest()) + ": Downloading");
        } else {
            out.println(shortId(layer.digest()) + ": Downloading " + Sizes.human(layer.size()));
        }
        out.flush();
    }

    @Override
    public void layerProgress(Descriptor layer, long bytes) {
        long now = System.nanoTime();
        if (!terminal || (now - lastDraw < 100_000_000L && bytes < layer.size())) {
            return;
        }
        lastDraw = now;
        int width = 40;
        int done = layer.size() == 0 ? width : (int) (width * bytes / layer.size());
        String bar = "=".repeat(Math.max(0, done - 1)) + (done > 0 && done < width ? ">" : done == width ? "=" : "")
                + " ".repeat(width - done);
        out.print("\r" + shortId(layer.digest()) + ": Downloading [" + bar + "] " + Sizes.human(bytes) + "/"
                + Sizes.human(layer.size()) + "   ");
        out.flush();
    }

    @Override
    public void layerDone(Descriptor layer) {
        out.println((terminal ? "\r\033[K" : "") + shortId(layer.digest()) + ": Pull complete");
        out.flush();
    }
}
