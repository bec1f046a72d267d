package dev.berth.registry.ui;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciException;
import dev.berth.oci.Platform;
import dev.berth.registry.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The platform an image config names ({@code os}, {@code architecture}, {@code variant}), read from its blob. */
@Component
class ConfigPlatforms {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BlobStore blobs;

    ConfigPlatforms(BlobStore blobs) {
        this.blobs = blobs;
    }

    /**
     * The platform of an image config, or empty for another kind of config (artifacts), one that
     * is too big, missing or not JSON, or one without an os and an architecture.
     */
    Optional<Platform> of(String digest, String mediaType, long size) {
        if (!MediaType.OCI_CONFIG.value().equals(mediaType) && !MediaType.DOCKER_CONFIG.value().equals(mediaType)
                || size > ImagePages.MAX_CONFIG_BYTES) {
            return Optional.empty();
        }
        Optional<Path> file;
        try {
            file = blobs.find(Digest.of(digest));
        } catch (OciException e) {
            return Optional.empty();
        }
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file.get())) {
            byte[] json = in.readNBytes((int) ImagePages.MAX_CONFIG_BYTES + 1);
            JsonNode root = json.length > ImagePages.MAX_CONFIG_BYTES ? null : JSON.readTree(json);
            if (root == null || !root.isObject()) {
                return Optional.empty();
            }
            String os = text(root, "os");
            String architecture = text(root, "architecture");
            String variant = text(root, "variant");
            return os == null || architecture == null ? Optional.empty()
                    : Optional.of(new Platform(os, architecture, variant));
        } catch (IOException | JacksonException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        return v != null && v.isString() && !v.asString().isBlank() && v.asString().length() <= 30 ? v.asString() : null;
    }
}
