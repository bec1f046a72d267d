package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.TarBuilder;
import dev.berth.testing.TestImageBuilder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A registry whose images were pushed before {@code manifests.platform} existed (schema V5):
 * after the upgrade the repository page shows each image's platform, read once from its config
 * blob, and keeps it in the column. The old database is made from a real one: a server pushes,
 * stops, and the column and its migration's history row are taken away, as the version before
 * left them.
 */
class ManifestPlatformUpgradeIT {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void imagesPushedBeforeTheColumnExistedShowTheirPlatformAfterTheUpgrade() throws Exception {
        try (BerthProcess berth = BerthProcess.start("platform-upgrade", "-Xmx384m", "-Dspring.flyway.out-of-order=true")) {
            String name = "old/app";
            String arm = new TestImageBuilder().platform("linux", "arm64").variant("v8")
                    .layer("ADD rootfs /", new TarBuilder().file("etc/os-release", "ID=arm\n"))
                    .push(http, berth::uri, name, "arm").digest();
            String amd = new TestImageBuilder().layer("ADD rootfs /", new TarBuilder().file("etc/os-release", "ID=amd\n"))
                    .push(http, berth::uri, name, "amd").digest();
            berth.stop();

            try (Connection c = connect(berth); Statement s = c.createStatement()) {
                s.execute("alter table manifests drop column platform");
                // Flyway's own table and columns are quoted lower case (H2 folds unquoted names to upper case).
                // V5 goes from the history, as a database of the version before V5 lacks it; with
                // out-of-order migrations Flyway applies V5 again beside the later ones, which stay
                // (V7 and later create tables that running them again would find).
                assertThat(s.executeUpdate("delete from \"flyway_schema_history\" where \"version\" = '5'")).isEqualTo(1);
            }

            berth.start(); // applies V5 again: the column is back, NULL for both images
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(berth.uri("/r/" + name)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<span class=\"chip\">linux/arm64/v8</span>", "<span class=\"chip\">linux/amd64</span>");
            berth.stop();

            try (Connection c = connect(berth)) {
                assertThat(platform(c, arm)).as("kept for the next page").isEqualTo("linux/arm64/v8");
                assertThat(platform(c, amd)).isEqualTo("linux/amd64");
            }
        }
    }

    /** The (stopped) server's database: H2 admits one process. */
    private static Connection connect(BerthProcess berth) throws SQLException {
        Map<String, String> db = berth.databaseProperties();
        return DriverManager.getConnection(db.get("spring.datasource.url"),
                db.getOrDefault("spring.datasource.username", "berth"), db.getOrDefault("spring.datasource.password", ""));
    }

    private static String platform(Connection c, String digest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select platform from manifests where digest = ?")) {
            s.setString(1, digest);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
