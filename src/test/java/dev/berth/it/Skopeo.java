package dev.berth.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real {@code skopeo}, with a signature policy and registries.conf of its own (in a temp
 * dir), so that the machine's /etc/containers settings play no part.
 */
final class Skopeo {

    private final String binary;
    private final Path work;
    private final Map<String, String> environment;

    private Skopeo(String binary, Path work, Map<String, String> environment) {
        this.binary = binary;
        this.work = work;
        this.environment = environment;
    }

    /** Skopeo, or the test is skipped (failed on CI). */
    static Skopeo require(Path work) throws IOException {
        String binary = Tools.require("skopeo", "skopeo");
        Path config = Files.createDirectories(work.resolve("skopeo-config"));
        Files.writeString(config.resolve("policy.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        Files.writeString(config.resolve("registries.conf"), "unqualified-search-registries = []\n");
        Files.writeString(config.resolve("auth.json"), "{\"auths\":{}}");
        return new Skopeo(binary, work, Map.of(
                "REGISTRIES_CONFIG_PATH", config.resolve("registries.conf").toString(),
                "REGISTRY_AUTH_FILE", config.resolve("auth.json").toString()));
    }

    Exec.Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(binary, "--policy", work.resolve("skopeo-config/policy.json").toString()));
        command.addAll(List.of(args));
        return Exec.of(command).env(environment).timeout(Duration.ofMinutes(3)).run();
    }

    Exec.Result succeed(String... args) {
        return run(args).requireSuccess();
    }

    /**
     * {@code skopeo copy} with the extra flags given; returns the digest of the manifest it wrote,
     * as skopeo reports it ({@code --digestfile}).
     */
    String copy(String source, String destination, String... flags) throws IOException {
        Path digestFile = Files.createTempFile(work, "digest-", ".txt");
        List<String> args = new ArrayList<>(List.of("copy", "--digestfile", digestFile.toString()));
        args.addAll(List.of(flags));
        args.add(source);
        args.add(destination);
        succeed(args.toArray(String[]::new));
        String digest = Files.readString(digestFile, StandardCharsets.UTF_8).trim();
        Files.delete(digestFile);
        return digest;
    }

    /** Writes the image as a {@code docker save}-style tar, named {@code nameAndTag} inside. */
    Path dockerArchive(TestImage image, Path file, String nameAndTag) {
        succeed("copy", image.ociReference(), "docker-archive:" + file + ":" + nameAndTag);
        return file;
    }
}
