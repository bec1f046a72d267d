package dev.berth.registry.gc;

import dev.berth.registry.RegistryProperties;
import dev.berth.registry.metadata.FsckRows;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The beans {@link FsckOffline} needs and nothing else: the datasource as {@code berth serve}
 * configures it, JDBC, the {@code berth.*} settings (the data directory) and fsck's SQL. No
 * Flyway: a check changes no schema. Deliberately not a {@code @Configuration}, as
 * {@code PasswordResetContext}: the server's component scan must not pick it up.
 */
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class})
@EnableConfigurationProperties(RegistryProperties.class)
@Import(FsckRows.class)
class FsckContext {
}
