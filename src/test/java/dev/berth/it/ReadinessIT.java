package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.DatabaseNeutral;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 3: a real {@code berth serve} on PostgreSQL, reached through a port the test stops
 * as if the database's machine went away. Readiness answers 503 while the database cannot be
 * reached and 200 again once it is back; liveness stays 200 all along (a database outage must not
 * get the process restarted). Always on PostgreSQL (its own schema), so it runs once.
 */
@DatabaseNeutral
class ReadinessIT {

    @Test
    void readinessFollowsTheDatabaseWhileLivenessStaysUp() throws Exception {
        String url = env("BERTH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/berth_test");
        String user = env("BERTH_TEST_POSTGRES_USER", "berth");
        String password = env("BERTH_TEST_POSTGRES_PASSWORD", "berth");
        requireReachable(url, user, password);
        URI target = URI.create(url.substring("jdbc:".length()));
        try (TcpForwarder database = new TcpForwarder(new InetSocketAddress(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort()))) {
            String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            String forwarded = "jdbc:postgresql://127.0.0.1:" + database.port() + target.getPath()
                    + (target.getQuery() == null ? "?" : "?" + target.getQuery() + "&") + "currentSchema=" + schema;
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("spring.datasource.url", forwarded);
            settings.put("spring.datasource.username", user);
            settings.put("spring.datasource.password", password);
            settings.put("spring.flyway.default-schema", schema);
            settings.put("spring.flyway.schemas", schema);
            try (BerthProcess berth = BerthProcess.startOn(settings, "readiness", "-Xmx256m")) {
                // Berth answers /v2/ before its start is done (issue 6): alive then, ready once started.
                assertThat(Probe.get(berth.port(), "/actuator/health/liveness")).as("liveness as soon as /v2/ answers").isEqualTo("200");
                Probe.await(berth, "/actuator/health/readiness", "200");

                database.stop();
                long stopped = System.nanoTime();
                Probe.await(berth, "/actuator/health/readiness", "503");
                System.out.printf("[readiness] DOWN %d ms after the database went away%n", (System.nanoTime() - stopped) / 1_000_000);
                assertThat(Probe.get(berth.port(), "/actuator/health/liveness")).as("liveness while the database is away").isEqualTo("200");
                assertThat(Probe.get(berth.port(), "/actuator/health/readiness")).isEqualTo("503");

                database.start();
                long back = System.nanoTime();
                Probe.await(berth, "/actuator/health/readiness", "200");
                System.out.printf("[readiness] UP %d ms after the database came back%n", (System.nanoTime() - back) / 1_000_000);
                assertThat(Probe.get(berth.port(), "/actuator/health/liveness")).isEqualTo("200");
                assertThat(Probe.get(berth.port(), "/v2/_catalog")).as("the registry answers again").isEqualTo("200");
            }
        }
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
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
