package dev.berth.cli;

import dev.berth.runtime.network.Network;
import dev.berth.runtime.network.Networks;
import java.io.PrintWriter;
import java.util.List;
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
 * {@code berth network inspect NAME...}: a JSON array with docker's keys for what berth knows (Name,
 * Id, Created, Driver, IPAM's subnet and gateway, the bridge's name, the containers and their addresses).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show networks as JSON.")
final class NetworkInspectCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        Networks networks = new Networks(runtime.root());
        ArrayNode all = JSON.createArrayNode();
        PrintWriter err = spec.commandLine().getErr();
        int exit = 0;
        for (String name : names) {
            var network = networks.get(name);
            if (network.isEmpty()) {
                err.println("berth: network " + name + " not found");
                exit = CliErrorHandler.EXIT_FAILURE;
                continue;
            }
            all.add(json(network.get(), networks.endpoints(network.get())));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
        out.flush();
        err.flush();
        return exit;
    }

    private static ObjectNode json(Network n, List<Networks.Endpoint> endpoints) {
        ObjectNode o = JSON.createObjectNode();
        o.put("Name", n.name()).put("Id", n.id()).put("Created", n.created().toString()).put("Scope", "local").put("Driver", "bridge");
        ObjectNode config = o.putObject("IPAM").put("Driver", "default").putArray("Config").addObject();
        config.put("Subnet", n.subnet().toString()).put("Gateway", n.subnet().gateway());
        ObjectNode containers = o.putObject("Containers");
        for (Networks.Endpoint e : endpoints) {
            containers.putObject(e.containerId()).put("Name", e.containerName())
                    .put("IPv4Address", e.address() + "/" + n.subnet().prefix());
        }
        o.putObject("Options").put("com.docker.network.bridge.name", n.bridge());
        return o;
    }
}
