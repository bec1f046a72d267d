package dev.berth.registry.storage;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.registry.RegistryProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The free space of the data directory's file system, and the reserve that upload bytes may not
 * eat into. Blobs, staged uploads and the embedded database share that file system: an upload that
 * filled it would leave the database unable to commit (H2 then closes itself), so upload bytes stop
 * at the reserve and everything else (the database, the log) keeps room to write.
 */
@Component
public class StorageSpace {

    private static final long DEFAULT_RESERVE = DataSize.ofGigabytes(1).toBytes();
    private static final int DEFAULT_RESERVE_PERCENT = 5;

    private final Path dataDir;
    /** Found once: looking a file store up reads the mount table, asking it for its free space is one statfs. */
    private final FileStore fileStore;
    private final long reserve;

    public StorageSpace(RegistryProperties properties) {
        this.dataDir = properties.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
            this.fileStore = Files.getFileStore(dataDir);
            DataSize configured = properties.storage().minFreeSpace();
            this.reserve = configured != null ? configured.toBytes()
                    : Math.min(DEFAULT_RESERVE, fileStore.getTotalSpace() / 100 * DEFAULT_RESERVE_PERCENT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file system of the data directory " + dataDir, e);
        }
    }

    /** Bytes kept free for everything but upload bytes. */
    public long reserve() {
        return reserve;
    }

    /** Bytes free for this process now. */
    public long usable() throws IOException {
        return fileStore.getUsableSpace();
    }

    public long total() throws IOException {
        return fileStore.getTotalSpace();
    }

    /** Throws 507 unless more than the reserve would stay free after {@code bytes} more. */
    public void requireRoomFor(long bytes) throws IOException {
        long usable = usable();
        if (usable - Math.max(0, bytes) <= reserve) {
            throw full(usable);
        }
    }

    /** The error for a full disk, saying how full. */
    OciException full(long usable) {
        return new OciException(OciErrorCode.INSUFFICIENT_STORAGE, "the registry's disk is full: " + DiskFull.mebibytes(usable)
                + " free, " + DiskFull.mebibytes(reserve) + " kept in reserve; the upload can be resumed once space is freed");
    }
}
