package dev.berth.runtime.bundle;

import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders an OCI runtime spec ({@code config.json}) with docker's defaults: its capability set,
 * masked and read-only /proc and /sys paths, the usual /dev, /proc, /sys, shm and mqueue mounts,
 * and private pid, ipc, uts, mount and (unless {@code --network host}) network namespaces.
 */
final class RuntimeSpec {

    static final List<String> DEFAULT_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
    private static final long CPU_PERIOD = 100_000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Everything the spec is made of, already resolved. */
    record Inputs(List<String> argv, List<String> env, String cwd, ExecUser user, String hostname, Path rootfs,
                  RunOptions options, Path netns, String cgroupsPath, long noFileLimit, List<BindFile> etcFiles) {
    }

    /** A file of the bundle bind-mounted over one of the image's. */
    record BindFile(Path source, String destination) {
    }

    private RuntimeSpec() {
    }

    static byte[] render(Inputs in) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("ociVersion", "1.0.2");
        ObjectNode process = spec.putObject("process");
        process.put("terminal", false);
        ObjectNode user = process.putObject("user");
        user.put("uid", in.user().uid());
        user.put("gid", in.user().gid());
        if (!in.user().additionalGids().isEmpty()) {
            ArrayNode gids = user.putArray("additionalGids");
            in.user().additionalGids().forEach(gids::add);
        }
        strings(process.putArray("args"), in.argv());
        strings(process.putArray("env"), in.env());
        process.put("cwd", in.cwd());
        ObjectNode caps = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            strings(caps.putArray(set), DEFAULT_CAPABILITIES);
        }
        if (in.noFileLimit() > 0) {
            process.putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE")
                    .put("hard", in.noFileLimit()).put("soft", in.noFileLimit());
        }
        process.put("noNewPrivileges", false);
        spec.putObject("root").put("path", in.rootfs().toString()).put("readonly", in.options().readOnly());
        spec.put("hostname", in.hostname());
        mounts(spec.putArray("mounts"), in);
        ObjectNode linux = spec.putObject("linux");
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String ns : List.of("pid", "ipc", "uts", "mount")) {
            namespaces.addObject().put("type", ns);
        }
        if (in.netns() != null) {
            namespaces.addObject().put("type", "network").put("path", in.netns().toString());
        }
        linux.put("cgroupsPath", in.cgroupsPath());
        resources(linux.putObject("resources"), in.options());
        strings(linux.putArray("maskedPaths"), MASKED_PATHS);
        strings(linux.putArray("readonlyPaths"), READONLY_PATHS);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(spec);
    }

    private static void resources(ObjectNode resources, RunOptions options) {
        resources.putArray("devices").addObject().put("allow", false).put("access", "rwm");
        if (options.memoryBytes() > 0) {
            // No swap beyond the limit: a container over its memory is killed, not paged out.
            resources.putObject("memory").put("limit", options.memoryBytes()).put("swap", options.memoryBytes());
        }
        if (options.cpus() > 0) {
            resources.putObject("cpu").put("quota", Math.max(1000, Math.round(options.cpus() * CPU_PERIOD))).put("period", CPU_PERIOD);
        }
        if (options.pidsLimit() > 0) {
            resources.putObject("pids").put("limit", options.pidsLimit());
        }
    }

    private static void mounts(ArrayNode mounts, Inputs in) {
        mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        mount(mounts, "/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro"));
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        for (BindFile file : in.etcFiles()) {
            mount(mounts, file.destination(), "bind", file.source().toString(), List.of("rbind", "rprivate"));
        }
        for (Volume v : in.options().volumes()) {
            if (v.host() == null) {
                throw new IllegalStateException("volume " + v.name() + " was not resolved to a directory");
            }
            mount(mounts, v.container(), "bind", v.host().toString(), v.readOnly() ? List.of("rbind", "rprivate", "ro")
                    : List.of("rbind", "rprivate"));
        }
        for (Tmpfs t : in.options().tmpfs()) {
            mount(mounts, t.destination(), "tmpfs", "tmpfs", t.mountOptions());
        }
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, List<String> options) {
        ObjectNode m = mounts.addObject();
        m.put("destination", destination).put("type", type).put("source", source);
        strings(m.putArray("options"), options);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
