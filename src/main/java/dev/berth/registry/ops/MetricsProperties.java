package dev.berth.registry.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code berth.metrics.*} (see config/application.yml).
 *
 * @param scrapeToken when set, {@code Authorization: Bearer <scrapeToken>} reads every actuator
 *                    endpoint on the server's port (Prometheus' {@code authorization} setting)
 */
@ConfigurationProperties("berth.metrics")
record MetricsProperties(String scrapeToken) {

    @Override
    public String toString() {
        return "MetricsProperties[scrapeToken=" + (scrapeToken == null || scrapeToken.isEmpty() ? "none" : "(set)") + "]";
    }
}
