package dev.berth.cli;

import dev.berth.runtime.network.Network;
import dev.berth.runtime.network.Networks;
import dev.berth.runtime.network.Subnet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth network create [--subnet CIDR] NAME}: prints the new network's id, as docker does. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create a bridge network; its containers reach each other by name.")
final class NetworkCreateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = "--subnet", paramLabel = "CIDR", description = "e.g. 10.99.0.0/24; default: the next free /24 of 10.78.0.0/15.")
    String subnet;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
        if (!RuntimeOptions.isRoot()) {
            throw new IllegalStateException("berth network create needs root");
        }
        Network network = new Networks(runtime.root()).create(name, subnet == null ? null : Subnet.parse(subnet));
        spec.commandLine().getOut().println(network.id());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
