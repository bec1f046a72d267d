package dev.berth.runtime.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A container's log as docker's json-file driver writes it: one JSON object a line,
 * {@code {"log":"text\n","stream":"stdout","time":"2026-12-07T11:00:00.123456789Z"}}; a line longer
 * than 16 KiB is cut into entries without the newline, as docker cuts them. Each entry is one
 * {@code write}, so a reader following the file sees whole lines.
 */
public final class JsonLog implements AutoCloseable {

    public static final String FILE = "container.log";
    static final int MAX_ENTRY = 16 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One entry: its text (with the newline, when the line ended), the stream and when it was read. */
    public record Entry(String log, String stream, Instant time) {
    }

    private final OutputStream out;
    private final Supplier<Instant> clock;

    JsonLog(OutputStream out, Supplier<Instant> clock) {
        this.out = out;
        this.clock = clock;
    }

    static JsonLog append(Path file) throws IOException {
        return new JsonLog(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), Instant::now);
    }

    /** Copies {@code in} into the log as {@code stream} entries until it ends. */
    void pump(InputStream in, String stream) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                line.write(buf[i]);
                if (buf[i] == '\n' || line.size() == MAX_ENTRY) {
                    entry(line.toByteArray(), stream);
                    line.reset();
                }
            }
        }
        if (line.size() > 0) {
            entry(line.toByteArray(), stream); // the last line, without its newline
        }
    }

    private synchronized void entry(byte[] text, String stream) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("log", new String(text, StandardCharsets.UTF_8)).put("stream", stream).put("time", clock.get().toString());
        out.write((JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** @throws IllegalArgumentException when the line is not an entry */
    public static Entry parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return new Entry(n.path("log").asString(), n.path("stream").asString(), Instant.parse(n.path("time").asString()));
        } catch (JacksonException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("unreadable log entry: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
