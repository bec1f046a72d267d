package dev.berth.runtime.snapshot;

import dev.berth.runtime.sys.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A container's root filesystem: an overlay mount of its image's snapshots (read-only lowers) and
 * a directory of its own ({@code upper}) that takes every change, under {@code DIR/rootfs}.
 */
public final class OverlayRootfs {

    private OverlayRootfs() {
    }

    /**
     * @param lowers       snapshot directories, bottom layer first
     * @param containerDir the container's directory; {@code upper}, {@code work} and {@code rootfs} go there
     * @return the mounted root
     */
    public static Path mount(List<Path> lowers, Path containerDir) throws IOException {
        if (lowers.isEmpty()) {
            throw new IllegalArgumentException("an image without layers has no root filesystem");
        }
        Path upper = Files.createDirectories(containerDir.resolve("upper"));
        Path work = Files.createDirectories(containerDir.resolve("work"));
        Path rootfs = Files.createDirectories(containerDir.resolve("rootfs"));
        List<String> topFirst = new ArrayList<>();
        lowers.forEach(p -> topFirst.add(escape(p)));
        Collections.reverse(topFirst);
        String options = "lowerdir=" + String.join(":", topFirst) + ",upperdir=" + escape(upper) + ",workdir=" + escape(work);
        Posix.mount("overlay", rootfs, "overlay", 0, options);
        return rootfs;
    }

    public static void unmount(Path rootfs) throws IOException {
        Posix.unmount(rootfs);
    }

    /** True when {@code path} is a mount point (its device differs from its parent's). */
    public static boolean isMounted(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return false;
        }
        return !Files.getAttribute(path, "unix:dev").equals(Files.getAttribute(path.getParent(), "unix:dev"));
    }

    private static String escape(Path p) {
        String s = p.toAbsolutePath().toString();
        if (s.contains(",") || s.contains(":")) {
            throw new IllegalArgumentException("overlay cannot take a directory whose path has , or : in it: " + s);
        }
        return s;
    }
}
