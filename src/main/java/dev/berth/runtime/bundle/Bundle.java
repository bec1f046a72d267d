package dev.berth.runtime.bundle;

import dev.berth.oci.ImageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Writes an OCI runtime bundle for one container: {@code config.json}, plus the {@code hostname},
 * {@code hosts} and {@code resolv.conf} files that are bind-mounted over the image's, as docker does.
 */
public final class Bundle {

    private Bundle() {
    }

    /** {@code -u USER[:GROUP]} (names or ids) as the container's root resolves it; {@code exec} asks too. */
    public static ExecUser user(Path rootfs, String spec) throws IOException {
        return UserResolver.resolve(rootfs, spec);
    }

    /**
     * @param dir    the bundle directory (the container's)
     * @param rootfs the mounted root filesystem (a real path, not a symlink: runc refuses those)
     * @param netns  the network namespace to join, or null for the host's
     * @return the user the process runs as
     */
    public static ExecUser write(Path dir, Path rootfs, ImageConfig.Execution image, RunOptions options, String hostname,
                                 Path netns, String cgroupsPath) throws IOException {
        String userSpec = options.user() != null ? options.user() : image.user();
        ExecUser user = UserResolver.resolve(rootfs, userSpec);
        List<String> argv = CommandResolver.argv(image, options);
        List<String> env = CommandResolver.env(image, options, hostname, user.home());
        String cwd = options.workdir() != null ? options.workdir()
                : image.workingDir() != null && !image.workingDir().isEmpty() ? image.workingDir() : "/";
        if (!cwd.startsWith("/")) {
            throw new IllegalArgumentException("the working directory must be absolute: " + cwd);
        }
        mountTargets(rootfs, options);
        List<RuntimeSpec.BindFile> etc = new ArrayList<>();
        etc.add(new RuntimeSpec.BindFile(Files.writeString(dir.resolve("hostname"), hostname + "\n"), "/etc/hostname"));
        String hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t" + hostname + "\n";
        Path hostsFile = dir.resolve("hosts");
        if (netns == null && Files.isRegularFile(Path.of("/etc/hosts"))) {
            Files.copy(Path.of("/etc/hosts"), hostsFile, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.writeString(hostsFile, hosts);
        }
        etc.add(new RuntimeSpec.BindFile(hostsFile, "/etc/hosts"));
        Path resolv = dir.resolve("resolv.conf");
        if (netns == null && Files.isRegularFile(Path.of("/etc/resolv.conf"))) {
            Files.copy(Path.of("/etc/resolv.conf"), resolv, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.writeString(resolv, "");
        }
        etc.add(new RuntimeSpec.BindFile(resolv, "/etc/resolv.conf"));
        OptionalLong noFile = HostLimits.hard("Max open files");
        long limit = noFile.isPresent() && noFile.getAsLong() > 0 ? Math.min(noFile.getAsLong(), 1_048_576) : 1_048_576;
        byte[] spec = RuntimeSpec.render(new RuntimeSpec.Inputs(argv, env, cwd, user, hostname, rootfs, options, netns,
                cgroupsPath, limit, etc));
        Files.write(dir.resolve("config.json"), spec);
        return user;
    }

    /** Every mount destination confined to the root ({@link MountTarget}); a bind mount's source must exist. */
    private static void mountTargets(Path rootfs, RunOptions options) throws IOException {
        for (Volume v : options.volumes()) {
            if (v.host() != null && !Files.exists(v.host())) {
                throw new IllegalArgumentException("invalid mount config for type \"bind\": bind source path does not exist: " + v.host());
            }
            MountTarget.prepare(rootfs, v.container(), v.host() == null || Files.isDirectory(v.host()));
        }
        for (Tmpfs t : options.tmpfs()) {
            MountTarget.prepare(rootfs, t.destination(), true);
        }
    }
}
