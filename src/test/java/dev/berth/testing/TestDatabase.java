package dev.berth.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The database an integration test runs against: a fresh H2 file database (the default), or a
 * fresh schema in the PostgreSQL server named by {@code BERTH_TEST_POSTGRES_URL} when the
 * system property {@code berth.test.database} is {@code postgresql}. With {@code CI=true} an
 * unreachable PostgreSQL fails the test instead of skipping it.
 */
public final class TestDatabase {

    public static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/berth_test";

    private TestDatabase() {
    }

    public static boolean isPostgres() {
        return "postgresql".equals(System.getProperty("berth.test.database", "h2"));
    }

    /** Spring properties that point a server at a database of its own. */
    public static Map<String, String> properties(java.nio.file.Path dataDir) {
        Map<String, String> p = new LinkedHashMap<>();
        if (!isPostgres()) {
            // A database of its own for each server, as on PostgreSQL: test classes with other settings
            // (berth.auth.*) start servers of their own, which must not find each other's accounts.
            String name = "berth-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            p.put("spring.datasource.url", "jdbc:h2:file:" + dataDir.toAbsolutePath() + "/db/" + name + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
            return p;
        }
        return postgresProperties();
    }

    /** As {@link #properties}, on PostgreSQL whatever the execution: for servers that must share one database. */
    public static Map<String, String> postgresProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        String url = postgresUrl();
        String user = env("BERTH_TEST_POSTGRES_USER", "berth");
        String password = env("BERTH_TEST_POSTGRES_PASSWORD", "berth");
        requireReachable(url, user, password);
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        p.put("spring.datasource.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        p.put("spring.datasource.username", user);
        p.put("spring.datasource.password", password);
        p.put("spring.flyway.default-schema", schema);
        p.put("spring.flyway.schemas", schema);
        return p;
    }

    private static String postgresUrl() {
        return env("BERTH_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL);
    }

    private static void requireReachable(String url, String user, String password) {
        try (Connection ignored = DriverManager.getConnection(url, user, password)) {
            // reachable
        } catch (SQLException e) {
            String message = "PostgreSQL at " + url + " is not reachable (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message + "; .ci/run starts it", e);
            }
            Assumptions.abort(message);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }
}
