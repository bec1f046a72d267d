package dev.berth.cli;

import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.runtime.bundle.RunOptions;
import dev.berth.runtime.bundle.Tmpfs;
import dev.berth.runtime.bundle.Volume;
import dev.berth.runtime.container.ContainerRunner;
import dev.berth.runtime.container.RestartPolicy;
import dev.berth.runtime.container.StorageDriver;
import dev.berth.runtime.image.ImagePuller;
import dev.berth.runtime.image.ImageRecord;
import dev.berth.runtime.image.ImageStore;
import dev.berth.runtime.network.ContainerNetwork;
import dev.berth.runtime.network.NetworkAttachment;
import dev.berth.runtime.network.Networks;
import dev.berth.runtime.network.PortMapping;
import dev.berth.runtime.oci.OciRuntime;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth run IMAGE [COMMAND [ARG...]]}: a container in the foreground (or with -d, under its supervisor), with runc or crun. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a command in a new container, in the foreground; exits with the container's exit code.",
            "The image is pulled first when it is not in the local store. Needs root."})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Replaces the image's Cmd.")
    List<String> args = new ArrayList<>();

    @Option(names = {"-d", "--detach"}, description = "Run it in the background under a supervisor of its own; print its id.")
    boolean detach;

    @Option(names = "--restart", paramLabel = "no|on-failure[:N]|always", defaultValue = "no",
            description = "With -d: what its supervisor does when it exits (a stopped container stays stopped).")
    String restart;

    @Option(names = "--rm", description = "Remove the container when it exits.")
    boolean remove;

    @Option(names = "--name", paramLabel = "NAME")
    String name;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY[=VALUE]", description = "KEY alone takes the value from berth's environment.")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "KEY=VALUE lines; # comments and blank lines are skipped.")
    List<Path> envFiles = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]", description = "Names or ids, resolved in the image.")
    String user;

    @Option(names = "--entrypoint", paramLabel = "CMD", description = "Replaces the image's Entrypoint (and drops its Cmd).")
    String entrypoint;

    @Option(names = {"-v", "--volume"}, paramLabel = "HOST-PATH|NAME:CONTAINER-PATH[:ro|rw]",
            description = {"Bind-mount an absolute host path (it must exist), or mount a named volume",
                "(made on first use, seeded with the image's content there)."})
    List<String> volumes = new ArrayList<>();

    @Option(names = "--tmpfs", paramLabel = "PATH[:OPTIONS]",
            description = "Mount an empty tmpfs (noexec,nosuid,nodev; OPTIONS e.g. size=64m,mode=1777).")
    List<String> tmpfs = new ArrayList<>();

    @Option(names = "--hostname", paramLabel = "NAME")
    String hostname;

    @Option(names = "--read-only", description = "Mount the container's root read-only.")
    boolean readOnly;

    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", description = "Memory limit, e.g. 64m; the container is killed (137) above it.")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", description = "CPU limit, e.g. 0.5.")
    double cpus;

    @Option(names = "--pids-limit", paramLabel = "N", description = "Most processes the container may have.")
    long pidsLimit;

    @Option(names = "--network", paramLabel = "none|host|bridge|NAME", defaultValue = "none",
            description = {"none (the default for now): only loopback; host: the host's network;",
                "bridge: the default bridge network (berth0); NAME: a network of 'berth network create'."})
    String network;

    @Option(names = {"-p", "--publish"}, paramLabel = "[IP:][HOST:]CONTAINER[/tcp|/udp]",
            description = "Publish a container's port on the host (no HOST: a free port). Needs a bridge network.")
    List<String> publish = new ArrayList<>();

    @Option(names = {"-i", "--interactive"}, description = "Pass stdin through.")
    boolean interactive;

    @Option(names = "--runtime", paramLabel = "runc|crun|PATH", description = "Default: crun where it works, else runc.")
    String runtimeName;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "When the image must be pulled.")
    String platform;

    @Option(names = "--storage-driver", paramLabel = "overlay|vfs", defaultValue = "${env:BERTH_STORAGE_DRIVER}",
            description = {"overlay: mount the image's layers; vfs: copy them into the container's root.",
                "Default: overlay, or a copy where overlay cannot be mounted (env BERTH_STORAGE_DRIVER)."})
    String storageDriver;

    @Mixin
    RegistryOptions registries;

    @Mixin
    UnpackOptions unpack;

    private List<PortMapping> ports = List.of();

    @Override
    public Integer call() throws Exception {
        if (!RuntimeOptions.isRoot()) {
            throw new IllegalStateException("berth run needs root (rootless containers are not supported yet)");
        }
        if (detach && interactive) {
            throw new IllegalArgumentException("-i with -d is not supported yet");
        }
        RestartPolicy restartPolicy = RestartPolicy.parse(restart);
        if (restartPolicy.name() != RestartPolicy.Name.NO && remove) {
            throw new IllegalArgumentException("Conflicting options: --restart and --rm");
        }
        if (restartPolicy.name() != RestartPolicy.Name.NO && !detach) {
            throw new IllegalArgumentException("--restart needs -d: only a detached container has a supervisor to restart it");
        }
        RunOptions options = options();
        NetworkAttachment attachment = null;
        if (options.network() == RunOptions.NetworkMode.BRIDGE) {
            if (new Networks(runtime.root()).get(network).isEmpty()) {
                throw new IllegalArgumentException("network " + network + " not found");
            }
            attachment = new NetworkAttachment(network, ContainerNetwork.choosePorts(ports), "");
        }
        StorageDriver storage = StorageDriver.parse(storageDriver);
        PrintWriter err = spec.commandLine().getErr();
        ImageRecord record = localOrPulled(err);
        OciRuntime oci = OciRuntime.select(runtimeName, runtime.root().resolve("state"), err);
        ContainerRunner runner = new ContainerRunner(runtime.root(), runtime.content(), runtime.snapshots(unpack.maxUnpackedSize()),
                storage, err);
        if (detach) {
            String id = runner.runDetached(record, options, attachment, name, oci, restartPolicy, i -> SuperviseCommand.commandLine(runtime.root(), i, remove));
            spec.commandLine().getOut().println(id);
            spec.commandLine().getOut().flush();
            return 0;
        }
        return runner.run(record, options, attachment, name, remove, oci);
    }

    private RunOptions options() throws Exception {
        RunOptions.NetworkMode mode = switch (network) {
            case "none" -> RunOptions.NetworkMode.NONE;
            case "host" -> RunOptions.NetworkMode.HOST;
            default -> RunOptions.NetworkMode.BRIDGE;
        };
        ports = publish.stream().map(PortMapping::parse).toList();
        if (!ports.isEmpty() && mode != RunOptions.NetworkMode.BRIDGE) {
            throw new IllegalArgumentException("-p needs a bridge network: a container on --network " + network + " publishes no ports");
        }
        List<String> environment = new ArrayList<>();
        for (Path file : envFiles) {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    addEnv(environment, trimmed);
                }
            }
        }
        env.forEach(e -> addEnv(environment, e));
        if (cpus < 0 || pidsLimit < 0) {
            throw new IllegalArgumentException("--cpus and --pids-limit must not be negative");
        }
        long memoryBytes = memory == null ? 0 : ByteSize.parse(memory);
        if (memory != null && memoryBytes < 6L * 1024 * 1024) {
            throw new IllegalArgumentException("--memory must be at least 6m");
        }
        return new RunOptions(entrypoint, args, environment, workdir, user, hostname, readOnly,
                volumes.stream().map(Volume::parse).toList(), tmpfs.stream().map(Tmpfs::parse).toList(), memoryBytes, cpus, pidsLimit, mode, interactive);
    }

    private static void addEnv(List<String> environment, String entry) {
        if (entry.startsWith("=")) {
            throw new IllegalArgumentException("invalid environment entry " + entry + ": the name is empty");
        }
        if (entry.contains("=")) {
            environment.add(entry);
        } else if (System.getenv(entry) != null) {
            environment.add(entry + "=" + System.getenv(entry));
        }
    }

    private ImageRecord localOrPulled(PrintWriter err) throws Exception {
        ImageStore images = runtime.images();
        Optional<ImageRecord> local = images.resolve(image);
        if (local.isPresent()) {
            return local.get();
        }
        ImageReference reference = ImageReference.parse(image);
        err.println("Unable to find image '" + reference + "' locally");
        PullProgress progress = new PullProgress(err, false);
        Platform wanted = platform == null ? Platform.host() : Platform.parse(platform);
        ImageRecord pulled = new ImagePuller(runtime.content(), images, runtime.snapshots(unpack.maxUnpackedSize()),
                registries.clients())
                .pull(reference, wanted, progress);
        err.println("Digest: " + pulled.resolved());
        err.println("Status: Downloaded newer image for " + reference);
        err.flush();
        return pulled;
    }
}
