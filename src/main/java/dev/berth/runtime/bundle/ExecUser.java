package dev.berth.runtime.bundle;

import java.util.List;

/** Who the container's process runs as: resolved through the image's /etc/passwd and /etc/group. */
public record ExecUser(int uid, int gid, List<Integer> additionalGids, String home) {

    public ExecUser {
        additionalGids = List.copyOf(additionalGids);
    }
}
