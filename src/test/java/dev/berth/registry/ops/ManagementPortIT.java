package dev.berth.registry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.auth.Http;
import dev.berth.registry.auth.TokenModeIntegrationTest;
import dev.berth.testing.DatabaseNeutral;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.TestPropertySource;

/**
 * With {@code management.server.port} set, /actuator lives on that port (bound to loopback here)
 * and shows everything without credentials, as Spring Boot does; the registry's port has none of it.
 */
@DatabaseNeutral
@TestPropertySource(properties = {"management.server.port=0", "management.server.address=127.0.0.1"})
class ManagementPortIT extends TokenModeIntegrationTest {

    @LocalManagementPort
    int managementPort;

    @Test
    void theManagementPortShowsDetailsAndMetricsToAnyone() {
        assertThat(managementPort).isNotEqualTo(port);
        Http management = Http.fresh(managementPort);
        Http.Answer health = management.get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("components").path("storage").path("details").path("path").asString())
                .isEqualTo(DATA_DIR.toAbsolutePath().toString());
        Http.Answer metrics = management.get("/actuator/prometheus", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("jvm_memory_used_bytes");
        assertThat(management.get("/actuator/health/liveness", null).json().path("status").asString()).isEqualTo("UP");
    }

    @Test
    void theRegistrysPortServesNoActuator() {
        Http registry = Http.fresh(port);
        assertThat(registry.get("/actuator/prometheus", null).status()).isEqualTo(404);
        assertThat(registry.get("/actuator/prometheus", Http.basic("admin", ADMIN_PASSWORD)).status()).isEqualTo(404);
        assertThat(registry.get("/actuator/health", null).status()).isEqualTo(404);
        assertThat(registry.get("/v2/", Http.basic("admin", ADMIN_PASSWORD)).status()).as("the registry itself works").isEqualTo(200);
    }
}
