package dev.berth.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLogTest {

    private static final Instant T = Instant.parse("2026-12-07T11:00:00.123456789Z");

    private static List<String> pumped(byte[] input, String stream) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonLog log = new JsonLog(out, () -> T)) {
            log.pump(new ByteArrayInputStream(input), stream);
        }
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void eachLineIsOneEntryAsDockersJsonFileWritesIt() throws Exception {
        assertThat(pumped("one\n\"two\"\tx\nlast".getBytes(StandardCharsets.UTF_8), "stdout")).containsExactly(
                "{\"log\":\"one\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-07T11:00:00.123456789Z\"}",
                "{\"log\":\"\\\"two\\\"\\tx\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-07T11:00:00.123456789Z\"}",
                "{\"log\":\"last\",\"stream\":\"stdout\",\"time\":\"2026-12-07T11:00:00.123456789Z\"}");
    }

    @Test
    void aLineLongerThan16KibIsCutIntoEntries() throws Exception {
        byte[] input = ("a".repeat(JsonLog.MAX_ENTRY * 2 + 5) + "\n").getBytes(StandardCharsets.UTF_8);

        List<JsonLog.Entry> entries = pumped(input, "stderr").stream().map(JsonLog::parse).toList();

        assertThat(entries).extracting(e -> e.log().length()).containsExactly(JsonLog.MAX_ENTRY, JsonLog.MAX_ENTRY, 6);
        assertThat(entries).extracting(JsonLog.Entry::stream).containsOnly("stderr");
        assertThat(String.join("", entries.stream().map(JsonLog.Entry::log).toList())).isEqualTo(new String(input, StandardCharsets.UTF_8));
    }

    @Test
    void entriesOfTwoStreamsAppendToOneFileAndParseBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(JsonLog.FILE);
        try (JsonLog log = JsonLog.append(file)) {
            log.pump(new ByteArrayInputStream("out\n".getBytes(StandardCharsets.UTF_8)), "stdout");
            log.pump(new ByteArrayInputStream("err\n".getBytes(StandardCharsets.UTF_8)), "stderr");
        }
        try (JsonLog log = JsonLog.append(file)) {
            log.pump(new ByteArrayInputStream("again\n".getBytes(StandardCharsets.UTF_8)), "stdout");
        }

        List<JsonLog.Entry> entries = Files.readAllLines(file).stream().map(JsonLog::parse).toList();

        assertThat(entries).extracting(JsonLog.Entry::log).containsExactly("out\n", "err\n", "again\n");
        assertThat(entries).extracting(JsonLog.Entry::stream).containsExactly("stdout", "stderr", "stdout");
    }

    @Test
    void aLineThatIsNotAnEntryIsRefused() {
        assertThatThrownBy(() -> JsonLog.parse("{\"log\":\"x\",\"stre")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonLog.parse("{\"log\":\"x\",\"stream\":\"stdout\",\"time\":\"yesterday\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
