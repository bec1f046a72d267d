package dev.berth.registry.distribution;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.servlet.filter.OrderedFormContentFilter;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Mounts the distribution API at {@code /v2}, and keeps its errors in the OCI envelope at every layer. */
@Configuration(proxyBeanMethods = false)
class V2Configuration {

    @Bean
    ServletRegistrationBean<V2Servlet> v2Servlet(List<V2Endpoint> endpoints, V2Bodies bodies, V2Access access) {
        ServletRegistrationBean<V2Servlet> registration = new ServletRegistrationBean<>(
                new V2Servlet(endpoints, bodies, access), "/v2/*");
        registration.setName("distribution");
        registration.setLoadOnStartup(1);
        // Bodies are read with non-blocking I/O (V2Bodies): every filter before this servlet allows it too.
        registration.setAsyncSupported(true);
        return registration;
    }

    @Bean
    FilterRegistrationBean<V2ErrorFilter> v2ErrorFilter(OciErrorWriter errors, V2Failures failures) {
        FilterRegistrationBean<V2ErrorFilter> registration = new FilterRegistrationBean<>(new V2ErrorFilter(errors, failures));
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /**
     * Spring's filter that parses form-typed PUT, PATCH and DELETE bodies into parameters, kept for
     * everything but {@code /v2}: there a body is a blob or a manifest, and parsing it would
     * consume it (a blob pushed with that Content-Type arrived empty).
     */
    @Bean
    OrderedFormContentFilter formContentFilter() {
        return new OrderedFormContentFilter() {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                return V2ErrorFilter.isUnderV2(request.getRequestURI(), request.getContextPath());
            }
        };
    }

    /**
     * Answers {@code Expect: 100-continue} as soon as a request arrives. Tomcat's default sends it
     * on the first blocking read, and a body read with non-blocking I/O never makes one: curl
     * would wait a second before each body of more than 1 MiB, other clients until they time out.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> continueAtOnce() {
        return factory -> factory.addConnectorCustomizers(connector -> connector.setProperty("continueResponseTiming", "immediately"));
    }

    /** Replaces Tomcat's HTML error page, which answers requests it rejects before any servlet runs. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> ociErrorReportValve() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.setErrorReportValveClass(OciErrorReportValve.class.getName());
                host.getPipeline().addValve(new OciErrorReportValve());
            }
        });
    }
}
