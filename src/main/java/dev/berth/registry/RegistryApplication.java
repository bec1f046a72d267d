package dev.berth.registry;

import java.time.Clock;
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
    }
}
