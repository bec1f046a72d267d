package dev.berth.runtime.bundle;

import java.util.List;

/**
 * What {@code berth run} was asked for, beyond the image.
 *
 * @param entrypoint   {@code --entrypoint}: null keeps the image's, "" clears it
 * @param args         the command after the image name; empty keeps the image's Cmd
 * @param volumes      {@code -v}: bind mounts and named volumes
 * @param tmpfs        {@code --tmpfs}
 * @param env          {@code -e} and {@code --env-file} entries, KEY=VALUE (resolved already)
 * @param memoryBytes  0 for no limit
 * @param cpus         0 for no limit
 * @param pidsLimit    0 for no limit
 */
public record RunOptions(String entrypoint, List<String> args, List<String> env, String workdir, String user,
                         String hostname, boolean readOnly, List<Volume> volumes, List<Tmpfs> tmpfs, long memoryBytes, double cpus,
                         long pidsLimit, NetworkMode network, boolean interactive) {

    public RunOptions {
        args = List.copyOf(args);
        env = List.copyOf(env);
        volumes = List.copyOf(volumes);
        tmpfs = List.copyOf(tmpfs);
    }

    /** The same options with these volumes (named ones resolved to their directories). */
    public RunOptions withVolumes(List<Volume> resolved) {
        return new RunOptions(entrypoint, args, env, workdir, user, hostname, readOnly, resolved, tmpfs, memoryBytes, cpus,
                pidsLimit, network, interactive);
    }

    /** BRIDGE: a bridge network, which one the run's {@code NetworkAttachment} says. */
    public enum NetworkMode { NONE, HOST, BRIDGE }
}
