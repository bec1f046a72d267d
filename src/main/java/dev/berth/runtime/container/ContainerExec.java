package dev.berth.runtime.container;

import dev.berth.runtime.bundle.Bundle;
import dev.berth.runtime.bundle.ExecUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code berth exec}: another process in a running container, through the OCI runtime's
 * {@code exec --process}. The process is the container's own ({@code config.json}'s, so the same
 * capabilities and limits) with the command replaced and {@code -e}, {@code -w}, {@code -u} applied
 * as docker applies them: the environment is the container's with these entries set over it, the
 * user is resolved in the container's root.
 */
public final class ContainerExec {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What {@code exec} was asked for. @param workdir null: the container's; @param user null: the container's */
    public record Request(List<String> command, List<String> env, String workdir, String user, boolean stdin) {

        public Request {
            command = List.copyOf(command);
            env = List.copyOf(env);
        }
    }

    private final Containers containers;

    public ContainerExec(Containers containers) {
        this.containers = containers;
    }

    /**
     * @return the process's exit code
     * @throws IllegalStateException "container X is not running", as docker says it, when it does not run
     */
    public int exec(String id, Request request) throws IOException, InterruptedException {
        Containers.Container c = containers.get(id).orElseThrow(() -> new IllegalArgumentException("No such container: " + id));
        if (!c.running()) {
            throw new IllegalStateException("container " + id.substring(0, 12) + " is not running");
        }
        JsonNode config = JSON.readTree(Files.readAllBytes(c.dir().resolve("config.json")));
        Path rootfs = Path.of(config.path("root").path("path").asString());
        ObjectNode process = process((ObjectNode) config.path("process"), request, rootfs);
        Path file = Files.createTempFile(c.dir(), "exec-", ".json");
        try {
            Files.write(file, JSON.writeValueAsBytes(process));
            return containers.runtime(c.record()).exec(id, file, request.stdin());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The container's process with the request applied (package-private for its test). */
    static ObjectNode process(ObjectNode containerProcess, Request request, Path rootfs) throws IOException {
        if (request.command().isEmpty()) {
            throw new IllegalArgumentException("exec needs a command");
        }
        ObjectNode process = containerProcess.deepCopy();
        process.put("terminal", false);
        process.remove("consoleSize");
        ArrayNode args = process.putArray("args");
        request.command().forEach(args::add);
        Map<String, String> env = new LinkedHashMap<>();
        containerProcess.path("env").forEach(e -> put(env, e.asString()));
        request.env().forEach(e -> put(env, e));
        ArrayNode envArray = process.putArray("env");
        env.forEach((k, v) -> envArray.add(k + "=" + v));
        if (request.workdir() != null) {
            if (!request.workdir().startsWith("/")) {
                throw new IllegalArgumentException("the working directory must be absolute: " + request.workdir());
            }
            process.put("cwd", request.workdir());
        }
        if (request.user() != null) {
            ExecUser user = Bundle.user(rootfs, request.user());
            ObjectNode u = process.putObject("user");
            u.put("uid", user.uid()).put("gid", user.gid());
            if (!user.additionalGids().isEmpty()) {
                ArrayNode gids = u.putArray("additionalGids");
                user.additionalGids().forEach(gids::add);
            }
        }
        return process;
    }

    private static void put(Map<String, String> env, String entry) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("invalid environment entry " + entry + ": expected KEY=VALUE");
        }
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
}
