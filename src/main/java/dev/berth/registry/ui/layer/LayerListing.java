package dev.berth.registry.ui.layer;

import dev.berth.layer.Entry;
import dev.berth.layer.EntryPath;
import dev.berth.layer.LayerReader;
import dev.berth.oci.Digest;
import dev.berth.registry.ui.layer.LayerEntry.EntryKind;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * A layer's entries as the UI lists them, read by the runtime's own {@link LayerReader} in one
 * pass: same formats, same whiteouts, same entry-path policy, so a layer {@code berth run} refuses
 * is refused here with the same words. File contents stream through a hash and are never kept,
 * so a layer of any size costs a few buffers of memory.
 */
public final class LayerListing {

    /** What stops a listing early: the runtime's default limit, so what the browser lists {@code berth pull} unpacks. */
    static final String LIMIT_SETTING = "berth pull's default";
    private static final int BUFFER = 64 * 1024;

    private LayerListing() {
    }

    /**
     * Calls {@code sink} with each entry of the layer in archive order; returns how many there were.
     *
     * @throws dev.berth.layer.LayerReadException when the layer's bytes are refused or unreadable
     */
    public static long read(InputStream raw, Consumer<LayerEntry> sink) throws IOException {
        long count = 0;
        byte[] buffer = new byte[BUFFER];
        try (LayerReader reader = LayerReader.open(raw, LayerReader.DEFAULT_MAX_UNPACKED_SIZE, LIMIT_SETTING)) {
            for (Entry entry; (entry = reader.next()) != null; ) {
                sink.accept(toEntry(entry, entry.kind() == Entry.Kind.FILE ? hash(reader.content(), buffer) : null));
                count++;
            }
            reader.finish();
        }
        return count;
    }

    /** Hashes the current entry's content as it streams past. */
    private static String hash(InputStream content, byte[] buffer) throws IOException {
        MessageDigest sha = Digest.Algorithm.SHA256.newMessageDigest();
        for (int n; (n = content.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    /** The entry as the UI sees it. */
    static LayerEntry toEntry(Entry e, String contentHash) {
        EntryKind kind = switch (e.kind()) {
            case FILE -> EntryKind.FILE;
            case DIRECTORY -> EntryKind.DIRECTORY;
            case SYMLINK -> EntryKind.SYMLINK;
            case HARDLINK -> EntryKind.HARDLINK;
            case CHAR_DEVICE, BLOCK_DEVICE -> EntryKind.DEVICE;
            case FIFO -> EntryKind.FIFO;
            case WHITEOUT -> EntryKind.WHITEOUT;
            case OPAQUE -> EntryKind.OPAQUE;
        };
        String link = switch (e.kind()) {
            case SYMLINK -> e.linkName();
            case HARDLINK -> e.hardLinkTarget().toString();
            default -> null;
        };
        return new LayerEntry(e.path().toString(), kind, e.size(), e.mode(), e.uid(), e.gid(), link, contentHash);
    }

    /**
     * The directory a page asks for ({@code ./usr//bin/} is {@code usr/bin}), by the same policy as
     * entry names; the root when it names none or the policy refuses it.
     */
    public static String directory(String dir) {
        try {
            return dir == null ? "" : EntryPath.parse(dir).toString();
        } catch (IllegalArgumentException refused) {
            return "";
        }
    }
}
