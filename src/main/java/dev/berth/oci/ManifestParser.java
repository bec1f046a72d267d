package dev.berth.oci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads OCI image manifests and indexes and Docker schema 2 manifests and manifest lists. It only
 * reads: the bytes are never re-serialized. Anything malformed is {@code MANIFEST_INVALID}.
 */
public final class ManifestParser {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ManifestParser() {
    }

    /**
     * @param body        the manifest bytes as pushed
     * @param contentType the request's {@code Content-Type}, or null when the client sent none
     */
    public static ParsedManifest parse(byte[] body, MediaType contentType) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw invalid("manifest is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw invalid("manifest must be a JSON object");
        }
        try {
            return read(root, contentType);
        } catch (JacksonException e) {
            // Every value is checked before it is converted; this only keeps a missed case a 400.
            throw invalid("manifest has a value that cannot be read: " + firstLine(e.getOriginalMessage()));
        }
    }

    private static ParsedManifest read(JsonNode root, MediaType contentType) {
        MediaType mediaType = mediaTypeOf(root, contentType);
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion == null || !schemaVersion.isIntegralNumber() || !schemaVersion.canConvertToLong()
                || schemaVersion.longValue() != 2) {
            throw invalid("schemaVersion must be 2" + (schemaVersion == null ? "" : ", not " + shortened(schemaVersion)));
        }
        Descriptor subject = root.has("subject") ? descriptor(root.get("subject"), "subject") : null;
        String artifactType = optionalString(root, "artifactType");
        Map<String, String> annotations = annotations(root.get("annotations"), "annotations");
        if (mediaType.isIndex()) {
            return new ParsedManifest(mediaType, null, List.of(), descriptors(root, "manifests", true),
                    subject, artifactType, annotations);
        }
        if (!root.has("config")) {
            throw invalid("an image manifest needs a config descriptor");
        }
        Descriptor config = descriptor(root.get("config"), "config");
        return new ParsedManifest(mediaType, config, descriptors(root, "layers", false), List.of(),
                subject, artifactType, annotations);
    }

    private static MediaType mediaTypeOf(JsonNode root, MediaType contentType) {
        String declared = optionalString(root, "mediaType");
        MediaType fromBody = declared == null ? null : MediaType.parse(declared);
        if (fromBody != null && contentType != null && contentType.isManifestOrIndex() && !fromBody.equals(contentType)) {
            throw invalid("mediaType " + fromBody + " does not match Content-Type " + contentType);
        }
        MediaType chosen = contentType != null && contentType.isManifestOrIndex() ? contentType : fromBody;
        if (chosen == null) {
            // An OCI manifest may leave mediaType out; its shape tells which kind it is.
            chosen = root.has("manifests") ? MediaType.OCI_INDEX : root.has("config") ? MediaType.OCI_MANIFEST : null;
        }
        if (chosen == null || !chosen.isManifestOrIndex()) {
            throw invalid("unsupported manifest media type: " + (chosen == null ? contentType : chosen));
        }
        return chosen;
    }

    private static List<Descriptor> descriptors(JsonNode root, String field, boolean required) {
        JsonNode array = root.get(field);
        if (array == null || array.isNull()) {
            if (required) {
                throw invalid("an index needs a " + field + " array");
            }
            return List.of();
        }
        if (!array.isArray()) {
            throw invalid(field + " must be an array");
        }
        List<Descriptor> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(descriptor(array.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static Descriptor descriptor(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw invalid(where + " must be a descriptor object");
        }
        String mediaType = optionalString(node, "mediaType");
        if (mediaType == null || mediaType.isBlank()) {
            throw invalid(where + ".mediaType is required");
        }
        String digestText = optionalString(node, "digest");
        if (digestText == null) {
            throw invalid(where + ".digest is required");
        }
        Digest digest;
        try {
            digest = Digest.of(digestText);
        } catch (OciException e) {
            throw invalid(where + ".digest: " + e.getMessage());
        }
        long size = size(node.get("size"), where + ".size");
        Platform platform = null;
        JsonNode p = node.get("platform");
        if (p != null && p.isObject()) {
            platform = new Platform(optionalString(p, "os"), optionalString(p, "architecture"), optionalString(p, "variant"));
        }
        return new Descriptor(MediaType.parse(mediaType), digest, size,
                optionalString(node, "artifactType"), annotations(node.get("annotations"), where + ".annotations"), platform);
    }

    /**
     * A size as a {@code long}: an integer beyond 2^63-1 or below zero is refused here, before any
     * conversion could throw (Jackson's {@code longValue()} throws on a value out of range).
     */
    private static long size(JsonNode size, String where) {
        if (size == null || size.isNull()) {
            throw invalid(where + " is required");
        }
        if (!size.isIntegralNumber() || size.bigIntegerValue().signum() < 0) {
            throw invalid(where + " must be a non-negative integer, not " + shortened(size));
        }
        if (!size.canConvertToLong()) {
            throw invalid(where + " " + shortened(size) + " is too large (at most " + Long.MAX_VALUE + ")");
        }
        return size.longValue();
    }

    /** A JSON value for a message: a number may be 1000 digits long, so only its start is quoted. */
    private static String shortened(JsonNode value) {
        String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 40) + "... (" + text.length() + " characters)";
    }

    private static Map<String, String> annotations(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw invalid(where + " must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isString()) {
                throw invalid(where + "." + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().asString());
        }
        return out;
    }

    private static String optionalString(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw invalid(field + " must be a string");
        }
        return v.asString();
    }

    private static OciException invalid(String message) {
        return new OciException(OciErrorCode.MANIFEST_INVALID, message);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
