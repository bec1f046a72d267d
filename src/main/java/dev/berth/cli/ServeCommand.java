package dev.berth.cli;

import dev.berth.registry.RegistryApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code berth serve}: the only command that starts a Spring context. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Start the registry: the OCI Distribution API under /v2/, health and metrics under /actuator.",
            "",
            "Defaults come from config/application.yml in the working directory, when present:",
            "an embedded H2 database and blobs under ./data, listening on port 5000.",
            "Any Spring Boot property can be given as --name=value, e.g. --spring.datasource.url=jdbc:postgresql://…"
        })
final class ServeCommand implements Callable<Integer> {

    /** Returned when the server started: {@link Main} must not exit then. */
    static final int KEEP_RUNNING = -1;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port to listen on (default: 5000).")
    Integer port;

    @Option(names = {"-d", "--data-dir"}, paramLabel = "DIR",
            description = "Where blobs, uploads and the embedded database live (default: ./data).")
    Path dataDir;

    @Unmatched
    List<String> springArguments = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(springArguments);
        if (port != null) {
            args.add("--server.port=" + port);
        }
        if (dataDir != null) {
            args.add("--berth.data-dir=" + dataDir.toAbsolutePath());
        }
        RegistryApplication.start(args.toArray(String[]::new));
        return KEEP_RUNNING;
    }
}
