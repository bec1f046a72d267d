package dev.berth.cli;

import dev.berth.runtime.container.ContainerState;
import dev.berth.runtime.container.ContainerStateFile;
import dev.berth.runtime.container.Containers;
import dev.berth.runtime.container.Containers.Container;
import dev.berth.runtime.container.JsonLog;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code berth inspect CONTAINER...}: a JSON array with docker's keys for what berth knows (Id,
 * Created, Path, Args, State, Image, Name, LogPath, Config, HostConfig, Mounts, NetworkSettings).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show containers as JSON.")
final class InspectCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z"; // Go's zero time, as docker prints "never"

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        Containers containers = new Containers(runtime.root());
        ArrayNode array = JSON.createArrayNode();
        PrintWriter err = spec.commandLine().getErr();
        int exit = 0;
        for (String name : names) {
            Optional<Container> c;
            try {
                c = containers.get(containers.resolve(name));
            } catch (IllegalArgumentException e) {
                c = Optional.empty();
            }
            if (c.isEmpty()) {
                err.println("berth: No such container: " + name);
                exit = CliErrorHandler.EXIT_FAILURE;
                continue;
            }
            array.add(json(c.get()));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array));
        out.flush();
        err.flush();
        return exit;
    }

    static ObjectNode json(Container c) {
        ContainerStateFile s = c.state();
        ObjectNode n = JSON.createObjectNode();
        n.put("Id", c.id());
        n.put("Created", s.created().toString());
        n.put("Path", c.argv().isEmpty() ? "" : c.argv().get(0));
        n.putArray("Args").addAll(c.argv().stream().skip(1).map(a -> JSON.getNodeFactory().stringNode(a)).toList());
        ObjectNode state = n.putObject("State");
        state.put("Status", s.state().label());
        state.put("Running", s.state() == ContainerState.RUNNING);
        state.put("Paused", false);
        state.put("Restarting", s.restarting());
        state.put("Dead", false);
        state.put("Pid", s.pid());
        state.put("ExitCode", s.exitCode() == null ? (s.state() == ContainerState.EXITED ? -1 : 0) : s.exitCode());
        state.put("StartedAt", time(s.started()));
        state.put("FinishedAt", time(s.finished()));
        n.put("RestartCount", s.restartCount());
        n.put("Image", c.record().image().toString());
        n.put("Name", "/" + c.record().name());
        n.put("LogPath", c.dir().resolve(JsonLog.FILE).toString());
        n.put("Driver", "overlay");
        ObjectNode config = n.putObject("Config");
        config.put("Image", c.record().reference());
        config.putArray("Cmd").addAll(c.argv().stream().map(a -> JSON.getNodeFactory().stringNode(a)).toList());
        config.putArray("Env").addAll(c.env().stream().map(e -> JSON.getNodeFactory().stringNode(e)).toList());
        config.put("WorkingDir", c.workdir());
        config.put("StopSignal", c.record().stopSignal().isEmpty() ? "SIGTERM" : c.record().stopSignal());
        ObjectNode hostConfig = n.putObject("HostConfig");
        ObjectNode restart = hostConfig.putObject("RestartPolicy");
        restart.put("Name", c.record().restartPolicy().toString().replaceFirst(":.*", ""));
        restart.put("MaximumRetryCount", c.record().restartPolicy().maximumRetries());
        InspectMounts.add(hostConfig, n, c.dir());
        InspectNetwork.add(hostConfig, n.putObject("NetworkSettings"), c);
        return n;
    }

    private static String time(Instant t) {
        return t == null ? ZERO_TIME : t.toString();
    }
}
