package dev.berth.registry.ops;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The management port ({@code management.server.port}) shows everything, as Spring Boot operators
 * expect: its requests carry a {@link ManagementPrincipal}, so health has its details. Whoever
 * reaches that port is trusted; bind it to loopback ({@code management.server.address: 127.0.0.1}).
 *
 * <p>Loaded into the management port's own context by
 * {@code META-INF/spring/...ManagementContextConfiguration.imports}. It carries no stereotype
 * annotation, so that component scanning never puts it in the main context (a
 * {@code @ManagementContextConfiguration} would be scanned), and the condition keeps it out of the
 * main context when the actuator shares the server's port.
 */
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
class ManagementPortAccess {

    @Bean
    FilterRegistrationBean<Filter> managementPortPrincipal() {
        Filter trusted = (request, response, chain) ->
                chain.doFilter(ManagementPrincipal.wrap((HttpServletRequest) request, "management port"), response);
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(trusted);
        // After Spring Security's filter (-100), whose request wrapper would hide the principal.
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 10);
        return registration;
    }
}
