package dev.berth.registry.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.StatsOracle;
import dev.berth.testing.StatsOracle.Row;
import dev.berth.testing.TestDatabase;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** V3 fills repository_stats for a registry that already holds data (written here at schema V2). */
class RepositoryStatsMigrationIT {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void backfillMatchesTheDataAlreadyThere() throws Exception {
        Map<String, String> db = TestDatabase.properties(Files.createTempDirectory("berth-migration-"));
        DriverManagerDataSource source = new DriverManagerDataSource(db.get("spring.datasource.url"),
                db.getOrDefault("spring.datasource.username", "berth"), db.getOrDefault("spring.datasource.password", ""));
        String vendor = TestDatabase.isPostgres() ? "postgresql" : "h2";
        var config = Flyway.configure().dataSource(source).locations("classpath:db/migration/common", "classpath:db/migration/" + vendor);
        if (db.containsKey("spring.flyway.schemas")) {
            config.schemas(db.get("spring.flyway.schemas")).defaultSchema(db.get("spring.flyway.default-schema"));
        }
        config.target("2").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(source);
        for (int r = 1; r <= 3; r++) {
            jdbc.update("insert into repositories (id, name, created_at) values (?, ?, ?)", r, "old/r" + r, at(0));
        }
        for (int b = 1; b <= 4; b++) {
            jdbc.update("insert into blobs (digest, size_bytes, created_at) values (?, ?, ?)", "sha256:b" + b, b * 100L, at(0));
        }
        for (String link : new String[] {"1 1", "1 2", "2 2", "2 3", "3 2"}) { // blob 4 is linked nowhere
            String[] l = link.split(" ");
            jdbc.update("insert into blob_links (repository_id, digest, linked_at) values (?, ?, ?)", Long.parseLong(l[0]), "sha256:b" + l[1], at(0));
        }
        manifest(jdbc, 1, 1, 1);
        manifest(jdbc, 2, 1, 2);
        manifest(jdbc, 3, 2, 3);
        jdbc.update("insert into tags (repository_id, name, manifest_id, updated_at) values (1, 'a', 1, ?)", at(4));
        jdbc.update("insert into tags (repository_id, name, manifest_id, updated_at) values (1, 'b', 2, ?)", at(2));

        config.target("latest").load().migrate();

        assertThat(StatsOracle.actual(jdbc, "old/r1")).isEqualTo(new Row("old/r1", 2, 2, 300, 200, 300, T.plusSeconds(4)));
        assertThat(StatsOracle.actual(jdbc, "old/r2")).isEqualTo(new Row("old/r2", 0, 1, 500, 200, 300, T.plusSeconds(3)));
        assertThat(StatsOracle.actual(jdbc, "old/r3")).isEqualTo(new Row("old/r3", 0, 0, 200, 200, 0, null));
        for (int r = 1; r <= 3; r++) {
            assertThat(StatsOracle.actual(jdbc, "old/r" + r)).isEqualTo(StatsOracle.expected(jdbc, "old/r" + r));
        }
    }

    private static void manifest(JdbcTemplate jdbc, long id, long repository, int pushedSecond) {
        jdbc.update("""
                insert into manifests (id, repository_id, digest, media_type, size_bytes, content, pushed_at)
                values (?, ?, ?, 'application/vnd.oci.image.manifest.v1+json', 2, ?, ?)""",
                id, repository, "sha256:m" + id, new byte[] {'{', '}'}, at(pushedSecond));
    }

    private static Timestamp at(int second) {
        return Timestamp.from(T.plusSeconds(second));
    }
}
