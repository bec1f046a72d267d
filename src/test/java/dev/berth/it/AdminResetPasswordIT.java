package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.ui.UiSession;
import dev.berth.testing.TestDatabase;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code berth admin reset-password} from the packaged jar, against the data directory and
 * database of a real {@code berth serve}: the new password signs in, the old one no longer does,
 * the audit log says who reset it, and what cannot be done is refused in one line. On
 * PostgreSQL the server may run meanwhile, and the account's web sessions end.
 */
class AdminResetPasswordIT {

    private static final String OLD = "the-forgotten-password";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aLostAdministratorPasswordIsResetOfflineAndTheOldOneStopsWorking() throws Exception {
        try (BerthProcess berth = BerthProcess.start("reset-password", "-Xmx384m", "-Dberth.auth.mode=token",
                "-Dberth.auth.admin-password=" + OLD)) {
            assertThat(v2(berth, "admin", OLD)).isEqualTo(200);
            berth.stop();

            Exec.Result reset = resetPassword(berth, "admin");
            assertThat(reset.exitCode()).as(reset.describe()).isZero();
            String password = reset.stdout().strip();
            assertThat(password).as("stdout holds the password and nothing else").matches("[A-Za-z0-9]{24}");
            assertThat(reset.stderr()).contains("New password for admin, shown this once");
            assertThat(audit(berth)).containsExactly("berth admin (command line) user.password-reset user admin");

            Exec.Result nobody = resetPassword(berth, "nobody");
            assertThat(nobody.exitCode()).isEqualTo(1);
            assertThat(nobody.stdout()).isEmpty();
            assertThat(nobody.stderr()).isEqualTo("berth: no such user: nobody\n");

            // A data directory without a database: refused, and no empty database made there.
            Path empty = Files.createTempDirectory(BerthProcess.workRoot(), "no-database-");
            Exec.Result none = Exec.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
                    System.getProperty("berth.jar"), "admin", "reset-password", "admin", "--data-dir", empty.toString())
                    .directory(empty).timeout(Duration.ofMinutes(3)).run();
            assertThat(none.exitCode()).isEqualTo(1);
            assertThat(none.stderr()).isEqualTo("berth: no Berth database at jdbc:h2:file:" + empty + "/db/berth: give the data"
                    + " directory (--data-dir) or spring.datasource.url that berth serve uses\n");
            try (var left = Files.list(empty)) {
                assertThat(left).isEmpty();
            }
            TestFiles.deleteRecursively(empty);

            berth.start();
            assertThat(v2(berth, "admin", password)).isEqualTo(200);
            assertThat(v2(berth, "admin", OLD)).isEqualTo(401);
            UiSession browser = new UiSession(berth::uri);
            assertThat(browser.signIn("admin", password)).as("the web UI too").isEqualTo("/");
            assertThat(browser.get("/admin/users").statusCode()).isEqualTo(200);

            // While the server runs: H2 admits one process, PostgreSQL many.
            Exec.Result running = resetPassword(berth, "admin");
            if (TestDatabase.isPostgres()) {
                assertThat(running.exitCode()).as(running.describe()).isZero();
                HttpResponse<String> after = browser.get("/admin/users");
                assertThat(after.statusCode()).as("the session signed in with the password before ended").isEqualTo(302);
                assertThat(browser.location(after)).isEqualTo("/login");
                assertThat(new UiSession(berth::uri).signIn("admin", running.stdout().strip())).isEqualTo("/");
            } else {
                assertThat(running.exitCode()).isEqualTo(1);
                assertThat(running.stdout()).isEmpty();
                assertThat(running.stderr()).startsWith("berth: the database jdbc:h2:file:")
                        .endsWith(" is in use: stop berth serve first (the embedded H2 database admits one process)\n");
                assertThat(v2(berth, "admin", password)).as("and changes nothing").isEqualTo(200);
                assertThat(browser.get("/admin/users").statusCode()).isEqualTo(200);
            }
        }
    }

    /** {@code berth admin reset-password USER} with the server's data directory and database, run in that directory. */
    private static Exec.Result resetPassword(BerthProcess berth, String user) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", System.getProperty("berth.jar"), "admin", "reset-password", user,
                "--data-dir", berth.dataDir().toString()));
        command.addAll(berth.databaseArguments());
        return Exec.of(command).directory(berth.dataDir()).timeout(Duration.ofMinutes(3)).run();
    }

    private int v2(BerthProcess berth, String user, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(berth.uri("/v2/")).header("Authorization", "Basic " + basic)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The password resets in the audit log, read straight from the (stopped) server's database. */
    private static List<String> audit(BerthProcess berth) throws Exception {
        Map<String, String> db = berth.databaseProperties();
        List<String> events = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.get("spring.datasource.url"),
                db.getOrDefault("spring.datasource.username", "berth"), db.getOrDefault("spring.datasource.password", ""));
             PreparedStatement s = c.prepareStatement("select actor, action, target from audit_events where action = ? order by id")) {
            s.setString(1, "user.password-reset");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                }
            }
        }
        return events;
    }
}
