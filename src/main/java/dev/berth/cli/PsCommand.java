package dev.berth.cli;

import dev.berth.runtime.container.ContainerState;
import dev.berth.runtime.container.ContainerStatus;
import dev.berth.runtime.container.Containers;
import dev.berth.runtime.container.Containers.Container;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth ps [-a] [-q] [--format TEMPLATE]}: docker's columns, newest first; each running
 * container's state checked against the OCI runtime's, so it stays true after its supervisor died.
 */
@Command(name = "ps", mixinStandardHelpOptions = true, description = "List containers (running ones; -a for all).")
final class PsCommand implements Callable<Integer> {

    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z 'UTC'").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = {"-a", "--all"}, description = "Show all containers, not only running ones.")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only the ids.")
    boolean quiet;

    @Option(names = "--format", paramLabel = "TEMPLATE", description = "e.g. 'table {{.ID}}\\t{{.Status}}' or '{{.Names}}'.")
    String format;

    @Override
    public Integer call() throws Exception {
        PsFormat template = format == null || quiet ? null : PsFormat.parse(format);
        Instant now = Instant.now();
        List<Map<String, String>> rows = new ArrayList<>();
        for (Container c : new Containers(runtime.root()).list()) {
            if (all || c.running() || c.state().restarting()) { // docker counts a restarting container as running
                rows.add(fields(c, now));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (quiet) {
            rows.forEach(r -> out.println(r.get("ID")));
        } else if (template != null) {
            out.print(template.render(rows));
        } else {
            out.print(PsTable.render(rows.stream().map(r -> new PsTable.Row(r.get("ID"), r.get("Image"), r.get("CommandLine"),
                    r.get("RunningFor"), r.get("Status"), r.get("Ports"), r.get("Names"))).toList()));
        }
        out.flush();
        return 0;
    }

    static Map<String, String> fields(Container c, Instant now) {
        var s = c.state();
        Instant since = s.state() == ContainerState.RUNNING ? s.started() : s.finished();
        String command = String.join(" ", c.argv());
        Map<String, String> f = new LinkedHashMap<>();
        f.put("ID", c.id().substring(0, 12));
        f.put("Image", c.record().reference());
        f.put("CommandLine", command);
        f.put("Command", "\"" + PsTable.ellipsis(command, 20) + "\"");
        f.put("CreatedAt", GO_TIME.format(s.created()));
        f.put("RunningFor", ContainerStatus.created(s.created(), now));
        try {
            f.put("Ports", c.running() ? PortCommand.published(c.dir()) : "");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        f.put("State", s.restarting() ? "restarting" : s.state().label());
        f.put("Status", s.restarting() ? ContainerStatus.restarting(s.exitCode(), s.finished(), now)
                : ContainerStatus.status(s.state(), s.exitCode(), since == null ? s.created() : since, now));
        f.put("Names", c.record().name());
        return f;
    }
}
