package dev.berth.oci;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OCI / Docker image configuration: what to run and how ({@link Execution}), which platform,
 * the uncompressed digests of the layers ({@code rootfs.diff_ids}) that unpacked layers are
 * checked against, and what the web UI shows besides: author, exposed ports, build history.
 */
public record ImageConfig(Platform platform, Instant created, String author, Execution execution, List<String> exposedPorts,
                          List<Digest> diffIds, List<History> history) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public ImageConfig {
        exposedPorts = List.copyOf(exposedPorts);
        diffIds = List.copyOf(diffIds);
        history = List.copyOf(history);
    }

    /**
     * The {@code config} object. {@code entrypoint} and {@code cmd} are null when the image does not
     * set them, which is not the same as set to empty under docker's override rules.
     */
    public record Execution(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
                            String user, String stopSignal, Map<String, String> labels) {

        public Execution {
            entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
            cmd = cmd == null ? null : List.copyOf(cmd);
            env = env == null ? List.of() : List.copyOf(env);
            labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels)); // in the config's order
        }
    }

    /** One line of the image's history; {@code emptyLayer} entries have no layer of their own. */
    public record History(Instant created, String createdBy, String comment, boolean emptyLayer) {
    }

    /** Parses a config blob; anything malformed is {@code MANIFEST_INVALID} (the config belongs to the manifest). */
    public static ImageConfig parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw invalid("image config is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw invalid("image config must be a JSON object");
        }
        Platform platform = new Platform(string(root, "os"), string(root, "architecture"), string(root, "variant"));
        JsonNode c = root.path("config");
        Execution execution = new Execution(stringsOrNull(c, "Entrypoint"), stringsOrNull(c, "Cmd"),
                stringsOrNull(c, "Env"), string(c, "WorkingDir"), string(c, "User"), string(c, "StopSignal"),
                labels(c.get("Labels")));
        List<Digest> diffIds = new ArrayList<>();
        List<String> ids = stringsOrNull(root.path("rootfs"), "diff_ids");
        for (String id : ids == null ? List.<String>of() : ids) {
            try {
                diffIds.add(Digest.of(id));
            } catch (OciException e) {
                throw invalid("image config rootfs.diff_ids: " + e.getMessage());
            }
        }
        List<History> history = new ArrayList<>();
        for (JsonNode h : root.path("history")) {
            history.add(new History(instant(h, "created"), string(h, "created_by"), string(h, "comment"),
                    h.path("empty_layer").asBoolean(false)));
        }
        return new ImageConfig(platform, instant(root, "created"), string(root, "author"), execution,
                exposedPorts(c.get("ExposedPorts")), diffIds, history);
    }

    private static List<String> stringsOrNull(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (!v.isArray()) {
            throw invalid("image config " + field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode item : v) {
            if (!item.isString()) {
                throw invalid("image config " + field + " must be an array of strings");
            }
            out.add(item.asString());
        }
        return out;
    }

    /** {@code {"80/tcp": {}}}: the ports are the keys. */
    private static List<String> exposedPorts(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw invalid("image config ExposedPorts must be an object");
        }
        List<String> ports = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            ports.add(e.getKey());
        }
        return ports;
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.put(e.getKey(), e.getValue().isString() ? e.getValue().asString() : e.getValue().toString());
            }
        }
        return out;
    }

    private static String string(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (!v.isString()) {
            throw invalid("image config " + field + " must be a string");
        }
        return v.asString();
    }

    private static Instant instant(JsonNode node, String field) {
        String text = string(node, field);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid("image config " + field + " is not an RFC 3339 time: " + text);
        }
    }

    private static OciException invalid(String message) {
        return new OciException(OciErrorCode.MANIFEST_INVALID, message);
    }
}
