package dev.berth.runtime.sys;

import java.io.IOException;
import java.nio.file.Path;

/** A failed system call: its name, the path it was about and the errno text ({@code mknod /x/dev/ptmx: Operation not permitted}). */
public final class SystemCallException extends IOException {

    private final String call;
    private final int errno;
    private final String reason;

    SystemCallException(String call, Path path, int errno, String reason) {
        super(call + " " + path + ": " + reason);
        this.call = call;
        this.errno = errno;
        this.reason = reason;
    }

    /** The call's name, as in {@code mknod} or {@code setxattr trusted.overlay.opaque}. */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    /** The errno text, as strerror gives it. */
    public String reason() {
        return reason;
    }
}
