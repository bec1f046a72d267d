package dev.berth.registry.distribution;

import java.util.List;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Mounts the distribution API at {@code /v2}. */
@Configuration(proxyBeanMethods = false)
class V2Configuration {

    @Bean
    ServletRegistrationBean<V2Servlet> v2Servlet(List<V2Endpoint> endpoints, OciErrorWriter errors) {
        ServletRegistrationBean<V2Servlet> registration = new ServletRegistrationBean<>(new V2Servlet(endpoints, errors), "/v2/*");
        registration.setName("distribution");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
