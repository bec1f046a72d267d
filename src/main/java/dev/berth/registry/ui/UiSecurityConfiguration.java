package dev.berth.registry.ui;

import dev.berth.registry.auth.AuthMode;
import dev.berth.registry.auth.AuthProperties;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.function.Supplier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.util.UriUtils;

/**
 * Spring Security for the web UI only. The registry API ({@code /v2}), the token endpoint and
 * actuator have their own authentication and are measured in requests per second, so Spring
 * Security's filter is not even entered for them (not merely an empty chain: its firewall would
 * still wrap and inspect every request). Everything else: form sign-in at {@code /login}, CSRF
 * tokens on every form and htmx request, a new session id at sign-in, logout by POST.
 */
@Configuration(proxyBeanMethods = false)
class UiSecurityConfiguration {

    /**
     * Only this server's own scripts (berth.js, htmx from its webjar) and stylesheet: no inline
     * script or style, no other origin, no framing, forms post only here.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** The paths Spring Security never sees: they authenticate on their own (the API for scripts takes HTTP Basic, as /v2). */
    static boolean bypassed(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.equals("/v2") || path.startsWith("/v2/") || path.equals("/token") || path.startsWith("/token/")
                || path.equals("/actuator") || path.startsWith("/actuator/") || path.startsWith("/api/v1/repositories/");
    }

    @Bean
    SecurityFilterChain uiSecurity(HttpSecurity http, AuthProperties properties, Viewers viewers, SignIn signIn) throws Exception {
        boolean off = properties.mode() == AuthMode.NONE;
        http.authenticationProvider(signIn)
                .authorizeHttpRequests(a -> {
                    if (!off) {
                        // Management needs an account; admin-only pages check the role themselves.
                        a.requestMatchers("/account", "/account/**", "/orgs", "/orgs/**", "/admin/**", "/repository-visibility",
                                "/repository-delete")
                                .authenticated();
                    }
                    a.anyRequest().permitAll();
                })
                .formLogin(f -> f.loginPage("/login").loginProcessingUrl("/login")
                        .successHandler(new SafeRedirects.AfterSignIn())
                        .failureHandler((request, response, e) -> {
                            // Back to the form, keeping a same-site next; the page tells a wrong password from throttling.
                            String next = SafeRedirects.sameSitePath(request.getParameter("next"));
                            response.sendRedirect("/login?error" + (next == null ? "" : "&next=" + UriUtils.encodeQueryParam(next, StandardCharsets.UTF_8)));
                        }))
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/?signed-out"))
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                // An account disabled or deleted since sign-in loses its session at its next request.
                .addFilterAfter(viewers.filter(), SecurityContextHolderFilter.class)
                .headers(h -> h.frameOptions(f -> f.deny()).contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY)));
        return http.build();
    }

    /** Registers Spring Security's filter for UI requests only, in place of Boot's registration for every path. */
    @Bean
    FilterRegistrationBean<Filter> uiSecurityFilter(ApplicationContext context) {
        Supplier<Filter> security = SingletonSupplier.of(() -> context.getBean("springSecurityFilterChain", Filter.class));
        Filter gate = (request, response, chain) -> {
            if (bypassed((HttpServletRequest) request)) {
                chain.doFilter(request, response);
            } else {
                security.get().doFilter(request, response, chain);
            }
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(gate);
        registration.setName("uiSecurityFilter");
        registration.setOrder(-100); // where Boot puts Spring Security's filter
        registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
        return registration;
    }

    /** Boot's own registration would put Spring Security in front of every path, /v2 included. */
    @Bean
    static BeanPostProcessor disableBootsSecurityFilterRegistration() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof DelegatingFilterProxyRegistrationBean registration
                        && "securityFilterChainRegistration".equals(beanName)) {
                    registration.setEnabled(false);
                }
                return bean;
            }
        };
    }
}
