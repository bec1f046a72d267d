package dev.berth.registry.ops;

import dev.berth.registry.auth.Accounts;
import dev.berth.registry.auth.AuthProperties;
import dev.berth.registry.auth.LoginThrottle;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Puts {@link ActuatorAccessFilter} in front of the actuator endpoints when they are served on the
 * server's own port. With {@code management.server.port} set they are not, and the management
 * port shows everything to whoever reaches it (bind it to loopback: {@code management.server.address}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnManagementPort(ManagementPortType.SAME)
class ActuatorAccess {

    @Bean
    FilterRegistrationBean<ActuatorAccessFilter> actuatorAccessFilter(WebEndpointProperties endpoints, AuthProperties auth,
            MetricsProperties metrics, Accounts accounts, LoginThrottle throttle) {
        String base = endpoints.getBasePath();
        if (base.isEmpty()) {
            // The filter would then stand in front of every path, /v2 included.
            throw new IllegalStateException("management.endpoints.web.base-path must not be / on the server's own port;"
                    + " keep /actuator, or serve the actuator on management.server.port");
        }
        FilterRegistrationBean<ActuatorAccessFilter> registration =
                new FilterRegistrationBean<>(new ActuatorAccessFilter(base, auth, metrics, accounts, throttle));
        registration.addUrlPatterns(base, base + "/*");
        // After the access log (which gives the request its id), before anything answers.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
