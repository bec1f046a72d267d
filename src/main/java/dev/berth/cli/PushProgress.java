package dev.berth.cli;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.RepositoryName;
import dev.berth.runtime.image.PushListener;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Push output like docker's: a layer is named by its diff id's first 12 hex digits, and ends as
 * {@code Pushed}, {@code Layer already exists} or {@code Mounted from REPO}; the last line is
 * {@code TAG: digest: sha256:… size: N}. On a terminal the layers' block is redrawn in place with a
 * progress bar while a layer uploads; elsewhere each layer prints one line when it is done.
 */
final class PushProgress implements PushListener {

    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final boolean quiet;
    private final Map<Digest, String> names = new HashMap<>();
    private final Map<Digest, String> lines = new LinkedHashMap<>();
    private int drawn;
    private long lastDraw;

    /** @param quiet print only the last line */
    PushProgress(PrintWriter out, boolean terminal, boolean quiet) {
        this.out = out;
        this.terminal = terminal && !quiet;
        this.quiet = quiet;
    }

    void started(ImageReference target) {
        if (quiet) {
            return;
        }
        out.println("The push refers to repository [" + target.familiarRepository() + "]");
        out.flush();
    }

    @Override
    public synchronized void layerStarted(Descriptor layer, Digest diffId) {
        names.put(layer.digest(), diffId.hex().substring(0, 12));
        if (terminal) {
            show(layer, "Preparing");
        }
    }

    @Override
    public synchronized void layerProgress(Descriptor layer, long bytes) {
        if (!terminal) {
            return;
        }
        int width = 50;
        int done = layer.size() == 0 ? width : (int) (width * Math.min(bytes, layer.size()) / layer.size());
        String bar = "=".repeat(Math.max(0, done - 1)) + (done > 0 && done < width ? ">" : done == width ? "=" : "")
                + " ".repeat(width - done);
        lines.put(layer.digest(), "Pushing [" + bar + "] " + Sizes.human(bytes) + "/" + Sizes.human(layer.size()));
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            redraw();
        }
    }

    @Override
    public synchronized void layerExists(Descriptor layer) {
        show(layer, "Layer already exists");
    }

    @Override
    public synchronized void layerMounted(Descriptor layer, RepositoryName from) {
        show(layer, "Mounted from " + from);
    }

    @Override
    public synchronized void layerPushed(Descriptor layer) {
        show(layer, "Pushed");
    }

    @Override
    public synchronized void pushed(ImageReference target, Digest manifest, long size) {
        String what = target.tag() != null ? target.tag().value() : manifest.toString();
        out.println(what + ": digest: " + manifest + " size: " + size);
        out.flush();
    }

    private void show(Descriptor layer, String status) {
        if (quiet) {
            return;
        }
        if (terminal) {
            lines.put(layer.digest(), status);
            redraw();
        } else {
            out.println(names.getOrDefault(layer.digest(), PullProgress.shortId(layer.digest())) + ": " + status);
            out.flush();
        }
    }

    /** Moves up to the first layer's line and writes every layer's line again. */
    private void redraw() {
        StringBuilder text = new StringBuilder();
        if (drawn > 0) {
            text.append("\033[").append(drawn).append('A');
        }
        lines.forEach((layer, status) -> text.append("\r\033[K").append(names.get(layer)).append(": ").append(status).append('\n'));
        drawn = lines.size();
        out.print(text);
        out.flush();
    }
}
