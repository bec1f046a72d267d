package dev.berth.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The Dockerfiles under src/test/resources/dockerfiles/, parsed. */
final class DockerfileFixtures {

    private DockerfileFixtures() {
    }

    static Dockerfile parse(String name) {
        try (InputStream in = DockerfileFixtures.class.getResourceAsStream("/dockerfiles/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test Dockerfile " + name);
            }
            return Dockerfile.parse(new InputStreamReader(in, StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
