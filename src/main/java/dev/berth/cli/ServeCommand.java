package dev.berth.cli;

import dev.berth.registry.RegistryApplication;
import org.springframework.boot.web.server.PortInUseException;
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
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("--port must be between 1 and 65535, got " + port);
        }
        if (port != null) {
            args.add("--server.port=" + port);
        }
        if (dataDir != null) {
            args.add("--berth.data-dir=" + dataDir.toAbsolutePath());
        }
        try {
            RegistryApplication.start(args.toArray(String[]::new));
        } catch (RuntimeException e) {
            throw new IllegalStateException("the registry did not start: " + reason(e), e);
        }
        return KEEP_RUNNING;
    }

    /** The most telling message in a start-up failure: Spring wraps the cause that says what went wrong. */
    private static String reason(Throwable e) {
        Throwable deepest = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PortInUseException portInUse) {
                return "port " + portInUse.getPort() + " is already in use";
            }
            if (t.getMessage() != null) {
                deepest = t;
            }
        }
        return deepest.getMessage();
    }
}
