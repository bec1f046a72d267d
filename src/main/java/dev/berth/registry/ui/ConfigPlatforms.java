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
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform an image config names ({@code os}, {@code architecture}, {@code variant}), read
 * from its blob as the value of {@code manifests.platform}: streamed, top-level fields only, so
 * a config of any size costs no more memory than its three short strings.
 */
@Component
class ConfigPlatforms {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** What an os, architecture or variant looks like (Go's names); the column holds three of them. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._+-]{1,30}");

    private final BlobStore blobs;

    ConfigPlatforms(BlobStore blobs) {
        this.blobs = blobs;
    }

    /**
     * The column's value for a manifest with this config: {@code os/architecture[/variant]}; ""
     * when it names none (another kind of config, such as an artifact's, one too big, not JSON,
     * or without an os and an architecture: a blob never changes, so that answer is final); or
     * empty when the blob cannot be read now (missing from the store, an I/O error), to be
     * tried again by a later page.
     */
    Optional<String> column(String digest, String mediaType, long size) {
        if (!MediaType.OCI_CONFIG.value().equals(mediaType) && !MediaType.DOCKER_CONFIG.value().equals(mediaType)
                || size > ImagePages.MAX_CONFIG_BYTES) {
            return Optional.of("");
        }
        Optional<Path> file;
        try {
            file = blobs.find(Digest.of(digest));
        } catch (OciException e) {
            return Optional.of(""); // not a digest: never stored by a push
        }
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file.get()); JsonParser json = JSON.createParser(in)) {
            return Optional.of(platform(json).map(Platform::toString).orElse(""));
        } catch (JacksonException e) {
            return Optional.of("");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Platform> platform(JsonParser json) {
        if (json.nextToken() != JsonToken.START_OBJECT) {
            return Optional.empty();
        }
        String os = null;
        String architecture = null;
        String variant = null;
        for (String field = json.nextName(); field != null; field = json.nextName()) {
            JsonToken value = json.nextToken();
            if (value == JsonToken.VALUE_STRING && (field.equals("os") || field.equals("architecture") || field.equals("variant"))) {
                String text = json.getString();
                String kept = NAME.matcher(text).matches() ? text : null;
                switch (field) {
                    case "os" -> os = kept;
                    case "architecture" -> architecture = kept;
                    default -> variant = kept;
                }
            } else {
                json.skipChildren();
            }
        }
        return os == null || architecture == null ? Optional.empty() : Optional.of(new Platform(os, architecture, variant));
    }
}
