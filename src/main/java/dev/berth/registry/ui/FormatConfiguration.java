package dev.berth.registry.ui;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The UI's shared helpers as beans. */
@Configuration(proxyBeanMethods = false)
class FormatConfiguration {

    @Bean
    Format format(Clock clock) {
        return new Format(clock);
    }
}
