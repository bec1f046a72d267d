package dev.berth.registry.ui;

import dev.berth.registry.ui.layer.FileTree;
import dev.berth.registry.ui.layer.LayerEntry;
import dev.berth.registry.ui.layer.LayerEntry.EntryKind;

/**
 * One line of a file listing as the page shows it.
 *
 * @param change   "added", "changed", "deleted", "opaque" or null: what the layer did to the path
 * @param href     where a directory's name links to; null for anything else
 */
public record FileRow(String name, String path, boolean directory, String mode, String owner, long size, String linkTarget,
                      boolean hardLink, String change, int changesBelow, String href) {

    static FileRow of(FileTree.Node node, FileTree tree, Format fmt, String href) {
        LayerEntry e = node.entry();
        String change = node.change() == null ? null : node.change().name().toLowerCase(java.util.Locale.ROOT);
        if (e == null || e.kind() == EntryKind.WHITEOUT || e.kind() == EntryKind.OPAQUE) {
            String mode = e != null && e.kind() == EntryKind.OPAQUE ? fmt.mode('d', e.mode()) : node.directory() ? "d?????????" : "";
            return new FileRow(node.name(), node.path(), node.directory(), mode, "", node.totalSize(), null, false, change,
                    node.changesBelow(), node.directory() ? href : null);
        }
        long size = node.directory() ? node.totalSize() : tree.sizeOf(e);
        return new FileRow(node.name(), node.path(), node.directory(), fmt.mode(typeChar(e.kind()), e.mode()),
                e.uid() + ":" + e.gid(), size, e.linkTarget(), e.kind() == EntryKind.HARDLINK, change, node.changesBelow(),
                node.directory() ? href : null);
    }

    private static char typeChar(EntryKind kind) {
        return switch (kind) {
            case DIRECTORY, OPAQUE -> 'd';
            case SYMLINK -> 'l';
            case HARDLINK -> 'h';
            case DEVICE -> 'c';
            case FIFO -> 'p';
            default -> '-';
        };
    }
}
