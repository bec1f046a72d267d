package dev.berth.it;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A dockerd of the test's own: its socket, data root, exec root and pid file in a temp dir, no
 * iptables, no bridge. Stopped by its PID; afterwards the paths dockerd creates outside its dirs
 * (/etc/docker/key.json, /run/docker, /run/containerd) are removed if they were not there before.
 * Its containerd is supervised under the exec root. No container is run, so no cgroup is made.
 * Those shared paths are why one daemon runs at a time on the machine: test JVMs that run side by
 * side wait for a file lock before starting one, and release it once it is stopped and cleaned up.
 */
final class PrivateDockerd implements AutoCloseable {

    /** Outside the dirs it is given, dockerd 20.10 writes these. */
    private static final List<Path> SIDE_EFFECTS = List.of(
            Path.of("/etc/docker/key.json"), Path.of("/run/docker"), Path.of("/run/containerd"), Path.of("/etc/docker"));

    private static final Path MACHINE_LOCK = Path.of(System.getProperty("java.io.tmpdir"), "berth-private-dockerd.lock");

    private final Path dir;
    private final String docker;
    private FileChannel lockFile;
    private FileLock lock;
    private final Map<String, Boolean> existedBefore = new LinkedHashMap<>();
    private Process process;

    private PrivateDockerd(Path dir, String docker) {
        this.dir = dir;
        this.docker = docker;
    }

    /** Starts dockerd and waits until the docker CLI gets an answer from it. */
    static PrivateDockerd start() throws IOException {
        return start("{}");
    }

    /** The same with this daemon.json (e.g. {@code registry-mirrors}). */
    static PrivateDockerd start(String daemonJson) throws IOException {
        String dockerd = Tools.require("dockerd", "docker.io");
        String docker = Tools.require("docker", "docker.io");
        // Short path under /tmp: unix socket paths (containerd's too) are limited to 108 bytes.
        PrivateDockerd daemon = new PrivateDockerd(Files.createTempDirectory("berth-dockerd-"), docker);
        daemon.lockTheMachine();
        try {
            daemon.launch(dockerd, daemonJson);
        } catch (IOException | RuntimeException e) {
            daemon.unlock();
            throw e;
        }
        return daemon;
    }

    /** Blocks until no other test JVM runs a private dockerd. */
    private void lockTheMachine() throws IOException {
        lockFile = FileChannel.open(MACHINE_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockFile.lock();
    }

    private void unlock() throws IOException {
        if (lock != null) {
            lock.release();
            lockFile.close();
            lock = null;
        }
    }

    private void launch(String dockerd, String daemonJson) throws IOException {
        SIDE_EFFECTS.forEach(p -> existedBefore.put(p.toString(), Files.exists(p)));
        Files.writeString(dir.resolve("daemon.json"), daemonJson);
        Path log = BerthProcess.targetDir().resolve("it-logs").resolve(dir.getFileName() + ".log");
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(dockerd,
                "--host", "unix://" + dir.resolve("docker.sock"),
                "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("docker.pid").toString(),
                "--config-file", dir.resolve("daemon.json").toString(),
                "--iptables=false", "--ip-masq=false", "--bridge=none",
                // Plain directories: nothing mounted that could outlive the daemon.
                "--storage-driver=vfs")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Exec.Result last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dockerd exited with " + process.exitValue() + "; see " + log);
            }
            if (Files.exists(dir.resolve("docker.sock"))) {
                last = docker("version").run();
                if (last.succeeded()) {
                    return;
                }
            }
            sleep(300);
        }
        close();
        throw new IllegalStateException("dockerd did not answer within 90 s; see " + log + (last == null ? "" : "\n" + last.describe()));
    }

    /** A docker CLI command aimed at this daemon only ({@code DOCKER_HOST}, and a CLI config dir of its own). */
    Exec docker(String... args) {
        List<String> command = new ArrayList<>(List.of(docker));
        command.addAll(List.of(args));
        return Exec.of(command).timeout(Duration.ofMinutes(3)).env(Map.of(
                "DOCKER_HOST", "unix://" + dir.resolve("docker.sock"),
                "DOCKER_CONFIG", dir.resolve("cli").toString()));
    }

    Path dir() {
        return dir;
    }

    /** Stops dockerd by its PID (SIGTERM, then SIGKILL), then removes what it left. */
    @Override
    public void close() throws IOException {
        List<ProcessHandle> children = process.descendants().toList();
        long pid = readPid().orElse(process.pid());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        for (Path path : SIDE_EFFECTS) {
            if (!existedBefore.getOrDefault(path.toString(), true) && Files.exists(path)) {
                if (path.equals(Path.of("/etc/docker"))) {
                    deleteIfEmpty(path);
                } else {
                    TestFiles.deleteRecursively(path);
                }
            }
        }
        TestFiles.deleteRecursively(dir);
        unlock();
    }

    private java.util.Optional<Long> readPid() {
        try {
            return java.util.Optional.of(Long.parseLong(Files.readString(dir.resolve("docker.pid"), StandardCharsets.UTF_8).trim()));
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private static void deleteIfEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(dir);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
