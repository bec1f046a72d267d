package dev.berth.build;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stage as it is being built: the image config (kept as JSON, so a base image's fields berth does
 * not model pass through), its layers with their diff ids and snapshots, and the history.
 */
final class StageState {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final ObjectNode config;
    final List<Descriptor> layers;
    final List<Digest> diffIds;
    final List<Path> snapshots;
    StageScope scope;
    boolean cmdSetHere;

    private StageState(ObjectNode config, List<Descriptor> layers, List<Digest> diffIds, List<Path> snapshots) {
        this.config = config;
        this.layers = new ArrayList<>(layers);
        this.diffIds = new ArrayList<>(diffIds);
        this.snapshots = new ArrayList<>(snapshots);
    }

    static StageState scratch(Platform platform) {
        ObjectNode c = JSON.createObjectNode();
        c.put("architecture", platform.architecture());
        c.put("os", platform.os());
        if (platform.variant() != null && !platform.variant().isEmpty()) {
            c.put("variant", platform.variant());
        }
        c.putObject("config");
        c.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        c.putArray("history");
        return new StageState(c, List.of(), List.of(), List.of());
    }

    /** On top of an image: its config's JSON, its layers (gzip ones named by the OCI type, the same bytes), its snapshots. */
    static StageState of(byte[] configJson, List<Descriptor> layers, List<Digest> diffIds, List<Path> snapshots) {
        ObjectNode c = (ObjectNode) JSON.readTree(configJson);
        for (String field : List.of("container", "container_config", "docker_version", "id", "parent")) {
            c.remove(field);
        }
        if (!(c.get("config") instanceof ObjectNode)) {
            c.putObject("config");
        }
        if (!(c.get("history") instanceof ArrayNode)) {
            c.putArray("history");
        }
        List<Descriptor> oci = layers.stream().map(l -> l.mediaType().equals(MediaType.DOCKER_LAYER_GZIP)
                ? new Descriptor(MediaType.OCI_LAYER_GZIP, l.digest(), l.size(), null, null, null) : l).toList();
        return new StageState(c, oci, diffIds, snapshots);
    }

    StageState copy() {
        return new StageState(config.deepCopy(), layers, diffIds, snapshots);
    }

    ObjectNode exec() {
        return (ObjectNode) config.get("config");
    }

    /** The base's Env as a map, for the stage's scope. */
    Map<String, String> env() {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode e : exec().path("Env")) {
            String s = e.asString();
            int eq = s.indexOf('=');
            out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
        }
        return out;
    }

    void setEnv(Map<String, String> env) {
        ArrayNode a = exec().putArray("Env");
        env.forEach((k, v) -> a.add(k + "=" + v));
    }

    String workdir() {
        String w = exec().path("WorkingDir").asString("");
        return w.isEmpty() ? "/" : w;
    }

    List<String> shell() {
        List<String> out = new ArrayList<>();
        exec().path("Shell").forEach(n -> out.add(n.asString()));
        return out.isEmpty() ? List.of("/bin/sh", "-c") : out;
    }

    void addLayer(Descriptor layer, Digest diffId, Path snapshot) {
        layers.add(layer);
        diffIds.add(diffId);
        snapshots.add(snapshot);
    }

    void history(Instant created, String createdBy, boolean emptyLayer) {
        ObjectNode h = ((ArrayNode) config.get("history")).addObject();
        h.put("created", created.toString());
        h.put("created_by", createdBy);
        if (emptyLayer) {
            h.put("empty_layer", true);
        }
    }

    /** The config as it stands, with the layers' diff ids and the given creation time. */
    byte[] configBytes(Instant created) {
        ObjectNode c = config.deepCopy();
        c.put("created", created.toString());
        ArrayNode ids = JSON.createArrayNode();
        diffIds.forEach(d -> ids.add(d.toString()));
        ObjectNode rootfs = JSON.createObjectNode().put("type", "layers");
        rootfs.set("diff_ids", ids);
        c.set("rootfs", rootfs);
        return JSON.writeValueAsBytes(c);
    }

    StageFiles files() {
        return new StageFiles(snapshots);
    }
}
