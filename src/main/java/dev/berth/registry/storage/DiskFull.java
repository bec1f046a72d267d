package dev.berth.registry.storage;

import java.io.IOException;
import java.util.Locale;

/**
 * Recognizes a failure caused by a full file system (ENOSPC, EDQUOT). Java reports both as a plain
 * {@link IOException} whose message is the C library's text, also when it reaches us wrapped by the
 * database driver, so the message is all there is to go by.
 */
public final class DiskFull {

    private DiskFull() {
    }

    public static boolean isCauseOf(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            String message = t.getMessage();
            if (t instanceof IOException && message != null
                    && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
