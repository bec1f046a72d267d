package dev.berth.registry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.auth.AccessTokens;
import dev.berth.registry.auth.Action;
import dev.berth.registry.auth.Http;
import dev.berth.registry.auth.TokenModeIntegrationTest;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * /actuator on the server's own port with access control on, over real HTTP: anyone gets the
 * health status; details and metrics need an administrator or the scrape token.
 */
@TestPropertySource(properties = "berth.metrics.scrape-token=" + ActuatorAccessIT.SCRAPE_TOKEN)
class ActuatorAccessIT extends TokenModeIntegrationTest {

    static final String SCRAPE_TOKEN = "scrape-token-of-the-tests";

    @Test
    void anonymousCallersGetTheHealthStatusOnly() {
        Http http = Http.fresh(port);
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            Http.Answer health = http.get(path, null);
            assertThat(health.status()).as(path).isEqualTo(200);
            assertThat(health.json().path("status").asString()).as(path).isEqualTo("UP");
            assertThat(health.text()).as(path).doesNotContain(dataDir(), "components", "free", "total");
        }
        for (String path : List.of("/actuator/health/storage", "/actuator/health/db")) {
            assertThat(http.get(path, null).text()).as(path).doesNotContain(dataDir(), "free", "H2", "PostgreSQL");
        }
    }

    @Test
    void metricsAndTheOtherEndpointsNeedManagementAccess() {
        Http http = Http.fresh(port);
        for (String path : List.of("/actuator/prometheus", "/actuator", "/actuator/")) {
            Http.Answer anonymous = http.get(path, null);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.header("WWW-Authenticate")).as(path).isEqualTo("Basic realm=\"berth\"");
            assertThat(anonymous.errorCode()).as(path).isEqualTo("UNAUTHORIZED");
        }
        // Paths that normalize to the metrics are no health paths, whatever they start with.
        for (String path : List.of("/actuator/health/../prometheus", "/actuator/health/%2e%2e/prometheus",
                "/actuator/health/..;/prometheus", "/actuator/health;x/../prometheus", "/v2/../actuator/prometheus")) {
            Http.Answer sneaky = http.get(path, null);
            assertThat(sneaky.text()).as(path).doesNotContain("http_server_requests", "jvm_");
        }

        String user = newUser("olga");
        Http.Answer notAdmin = http.get("/actuator/prometheus", Http.basic(user, password(user)));
        assertThat(notAdmin.status()).isEqualTo(403);
        assertThat(notAdmin.errorCode()).isEqualTo("DENIED");
        Http.Answer userHealth = http.get("/actuator/health", Http.basic(user, password(user)));
        assertThat(userHealth.status()).isEqualTo(200);
        assertThat(userHealth.text()).as("a user who is no administrator sees the status only").doesNotContain(dataDir());

        Http.Answer wrong = http.get("/actuator/prometheus", Http.basic("admin", "not-the-password"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("errors").path(0).path("message").asString()).isEqualTo("incorrect username or password");
        assertThat(http.get("/actuator/prometheus", Http.bearer("not-the-scrape-token")).status()).isEqualTo(401);
        assertThat(http.get("/actuator/health", Http.basic("admin", "not-the-password")).status())
                .as("wrong credentials are refused on health too").isEqualTo(401);
    }

    @Test
    void administratorsAndTheScrapeTokenGetDetailsAndMetrics() {
        Http http = Http.fresh(port);
        AccessTokens.Issued pat = tokens.create(id("admin"), "prometheus-" + System.nanoTime(), EnumSet.of(Action.PULL), null);
        for (String authorization : List.of(Http.basic("admin", ADMIN_PASSWORD), Http.basic("admin", pat.secret()),
                Http.bearer(SCRAPE_TOKEN))) {
            Http.Answer health = http.get("/actuator/health", authorization);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().path("components").path("storage").path("details").path("path").asString())
                    .isEqualTo(dataDir());
            assertThat(health.json().path("components").has("db")).isTrue();

            Http.Answer metrics = http.get("/actuator/prometheus", authorization);
            assertThat(metrics.status()).as(metrics.text()).isEqualTo(200);
            assertThat(metrics.text()).contains("http_server_requests_seconds_count", "jvm_memory_used_bytes");
        }
    }

    private static String dataDir() {
        return DATA_DIR.toAbsolutePath().toString();
    }
}
