package dev.berth.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Berth's own login file: the {@code auths} format of docker's config.json (so either tool's
 * entries read the same), written with mode 0600 and replaced atomically.
 */
public final class LoginStore implements CredentialSource {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final DockerConfigCredentials reader;

    public LoginStore(Path file) {
        this.file = file;
        this.reader = new DockerConfigCredentials(file);
    }

    @Override
    public Optional<Credentials> forRegistry(String registry) {
        return reader.forRegistry(registry);
    }

    public void save(String registry, Credentials credentials) throws IOException {
        ObjectNode root = read();
        String auth = Base64.getEncoder().encodeToString((credentials.username() + ":" + credentials.password())
                .getBytes(StandardCharsets.UTF_8));
        ((ObjectNode) root.path("auths")).putObject(registry).put("auth", auth);
        write(root);
    }

    /** @return whether there was a login to forget */
    public boolean remove(String registry) throws IOException {
        ObjectNode root = read();
        boolean had = ((ObjectNode) root.path("auths")).remove(registry) != null;
        if (had) {
            write(root);
        }
        return had;
    }

    private ObjectNode read() throws IOException {
        ObjectNode root = Files.isRegularFile(file) && JSON.readTree(Files.readAllBytes(file)) instanceof ObjectNode o
                ? o : JSON.createObjectNode();
        JsonNode auths = root.get("auths");
        if (!(auths instanceof ObjectNode)) {
            root.putObject("auths");
        }
        return root;
    }

    private void write(ObjectNode root) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root)));
            channel.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
