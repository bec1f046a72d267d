package dev.berth.cli;

import com.sun.security.auth.module.UnixSystem;
import dev.berth.runtime.content.ContentStore;
import dev.berth.runtime.image.ImageStore;
import dev.berth.runtime.snapshot.SnapshotStore;
import dev.berth.runtime.unpack.LayerUnpacker;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every runtime command shares: where the runtime keeps its state. */
final class RuntimeOptions {

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "${env:BERTH_ROOT}",
            description = "Where images, layers and containers are kept (default: /var/lib/berth as root, "
                    + "else ~/.local/share/berth; env BERTH_ROOT).")
    Path root;

    Path root() {
        if (root != null) {
            return root.toAbsolutePath().normalize();
        }
        if (isRoot()) {
            return Path.of("/var/lib/berth");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("berth");
    }

    ContentStore content() {
        return new ContentStore(root());
    }

    ImageStore images() {
        return new ImageStore(root());
    }

    SnapshotStore snapshots() {
        return snapshots(LayerUnpacker.DEFAULT_MAX_UNPACKED_SIZE);
    }

    /** @param maxUnpackedSize what a layer may unpack to ({@link UnpackOptions}) */
    SnapshotStore snapshots(long maxUnpackedSize) {
        return new SnapshotStore(root(), new LayerUnpacker(isRoot(), maxUnpackedSize));
    }

    static boolean isRoot() {
        return new UnixSystem().getUid() == 0;
    }
}
