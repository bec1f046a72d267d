package dev.berth.cli;

import dev.berth.runtime.volume.Volumes;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
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

/** {@code berth volume inspect NAME...}: a JSON array with docker's keys (CreatedAt, Driver, Labels, Mountpoint, Name, Options, Scope). */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show named volumes as JSON.")
final class VolumeInspectCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        Volumes volumes = new Volumes(runtime.root());
        ArrayNode all = JSON.createArrayNode();
        PrintWriter err = spec.commandLine().getErr();
        int exit = 0;
        for (String name : names) {
            Optional<Volumes.Info> v = volumes.get(name);
            if (v.isEmpty()) {
                err.println("berth: No such volume: " + name);
                exit = CliErrorHandler.EXIT_FAILURE;
                continue;
            }
            all.addObject().put("CreatedAt", v.get().created().truncatedTo(ChronoUnit.SECONDS).toString()).put("Driver", "local")
                    .putNull("Labels").put("Mountpoint", v.get().mountpoint().toString()).put("Name", name)
                    .putNull("Options").put("Scope", "local");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
        out.flush();
        err.flush();
        return exit;
    }
}
