package dev.berth.registry.ui;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What an image config says about running the image (OCI image config / Docker container config),
 * and its build history. Read from the config JSON; missing fields stay empty.
 */
public record ImageConfig(String os, String architecture, String variant, Instant created, String author,
                          List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user,
                          List<String> exposedPorts, Map<String, String> labels, List<HistoryEntry> history) {

    /** One step of the build: {@code emptyLayer} steps (ENV, CMD, ...) made no layer. */
    public record HistoryEntry(String createdBy, Instant created, boolean emptyLayer, String comment) {
    }

    public String platform() {
        if (os == null && architecture == null) {
            return null;
        }
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }

    static ImageConfig of(JsonNode root) {
        JsonNode config = root.path("config");
        List<HistoryEntry> history = new ArrayList<>();
        for (JsonNode h : root.path("history")) {
            history.add(new HistoryEntry(text(h, "created_by"), time(h, "created"), h.path("empty_layer").asBoolean(false),
                    text(h, "comment")));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : config.path("Labels").properties()) {
            labels.put(e.getKey(), e.getValue().isString() ? e.getValue().asString() : e.getValue().toString());
        }
        List<String> ports = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : config.path("ExposedPorts").properties()) {
            ports.add(e.getKey());
        }
        return new ImageConfig(text(root, "os"), text(root, "architecture"), text(root, "variant"), time(root, "created"),
                text(root, "author"), strings(config.path("Entrypoint")), strings(config.path("Cmd")), strings(config.path("Env")),
                text(config, "WorkingDir"), text(config, "User"), ports, labels, history);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(n.isString() ? n.asString() : n.toString());
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.isString() ? v.asString() : v.toString();
    }

    private static Instant time(JsonNode node, String field) {
        String v = text(node, field);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The Dockerfile instruction behind a history step, as people read it: the
     * {@code /bin/sh -c #(nop) } of the classic builder goes, and a plain shell step reads as RUN.
     */
    static String instruction(String createdBy) {
        if (createdBy == null) {
            return null;
        }
        String s = createdBy.strip();
        if (s.startsWith("/bin/sh -c #(nop)")) {
            return s.substring("/bin/sh -c #(nop)".length()).strip();
        }
        if (s.startsWith("/bin/sh -c ")) {
            return "RUN " + s.substring("/bin/sh -c ".length()).strip();
        }
        return s;
    }
}
