package dev.berth.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.MediaType;
import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.RegistryPusher;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** The schedule runs the configured rules by itself, audited as the retention schedule. */
@TestPropertySource(properties = {"berth.retention-interval=1s", "berth.retention[0].repositories=ret-sched/**",
        "berth.retention[0].older-than=1h"})
class RetentionScheduleIT extends RegistryIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theScheduleRemovesOldTagsWithoutAnyoneAsking() throws Exception {
        String repo = uniqueName("ret-sched");
        RegistryPusher pusher = new RegistryPusher(uri("/"));
        Descriptor layer = pusher.blob(repo, MediaType.OCI_LAYER_GZIP, "layer".getBytes(StandardCharsets.UTF_8));
        Descriptor config = pusher.blob(repo, MediaType.OCI_LAYER_GZIP, "{}".getBytes(StandardCharsets.UTF_8));
        pusher.manifest(repo, "fresh", MediaType.OCI_MANIFEST, GarbageCollectionIT.manifest(config, layer));
        pusher.manifest(repo, "old", MediaType.OCI_MANIFEST, GarbageCollectionIT.manifest(config, layer, layer));
        jdbc.update("UPDATE tags SET updated_at = ? WHERE name = 'old'", Instant.now().minusSeconds(7200).atOffset(ZoneOffset.UTC));

        List<String> audited = List.of();
        for (long deadline = System.nanoTime() + 60_000_000_000L; audited.isEmpty() && System.nanoTime() < deadline; ) {
            Thread.sleep(200);
            audited = jdbc.queryForList("SELECT actor FROM audit_events WHERE action = 'tag.delete' AND target = ?", String.class,
                    repo + ":old");
        }

        assertThat(audited).containsExactly("retention schedule");
        assertThat(jdbc.queryForList("SELECT t.name FROM tags t JOIN repositories r ON r.id = t.repository_id WHERE r.name = ?",
                String.class, repo)).containsExactly("fresh");
    }
}
