package dev.berth.cli;

import dev.berth.runtime.volume.Volumes;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth volume create [NAME]}: prints its name; without one a random 64-hex name, as docker's; an existing volume is kept. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a named volume (or keep the one of that name).")
final class VolumeCreateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Parameters(arity = "0..1", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
        String volume = name;
        if (volume == null) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            volume = HexFormat.of().formatHex(random);
        }
        new Volumes(runtime.root()).create(volume);
        spec.commandLine().getOut().println(volume);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
