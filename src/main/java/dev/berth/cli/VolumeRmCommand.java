package dev.berth.cli;

import dev.berth.runtime.volume.Volumes;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth volume rm [-f] NAME...}: refused while any container (running or not) records a
 * mount of it, with docker's {@code volume is in use} and the ids, -f or not; -f only makes a
 * missing volume no error, as docker's.
 */
@Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true, description = "Remove named volumes and their content.")
final class VolumeRmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = {"-f", "--force"}, description = "No error for a volume that does not exist (one in use is still kept).")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        Volumes volumes = new Volumes(runtime.root());
        return EachContainer.run(spec, names, name -> {
            if (volumes.get(name).isEmpty()) {
                if (force) {
                    return name;
                }
                throw new IllegalArgumentException("get " + name + ": no such volume");
            }
            List<String> users = volumes.users(name);
            if (!users.isEmpty()) {
                throw new IllegalStateException("remove " + name + ": volume is in use - [" + String.join(", ", users) + "]");
            }
            volumes.remove(name);
            return name;
        });
    }
}
