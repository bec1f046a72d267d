package dev.berth.registry;

import java.time.Clock;
import sun.misc.Signal;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The registry server: a Spring Boot application started by {@code berth serve}. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class RegistryApplication {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    public static void start(String[] args) {
        SpringApplication app = new SpringApplication(RegistryApplication.class);
        app.run(args);
        exitZeroOnTerm();
    }

    /**
     * SIGTERM is how a server is asked to stop (Kubernetes, systemd, docker stop): the JVM would exit
     * 143 after its shutdown hooks. Exiting 0 instead runs the same hooks (Spring's graceful shutdown:
     * readiness DOWN, no new connections, requests in progress finished within
     * spring.lifecycle.timeout-per-shutdown-phase) and tells the supervisor the stop was clean.
     */
    private static void exitZeroOnTerm() {
        try {
            Signal.handle(new Signal("TERM"), signal -> System.exit(0));
        } catch (IllegalArgumentException e) {
            // -Xrs, or a platform without SIGTERM: the JVM's own handling stays.
        }
    }
}
