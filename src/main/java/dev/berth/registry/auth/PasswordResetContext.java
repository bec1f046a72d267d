package dev.berth.registry.auth;

import dev.berth.registry.metadata.AccessTokenRows;
import dev.berth.registry.metadata.AccountRows;
import dev.berth.registry.metadata.AuditRows;
import dev.berth.registry.metadata.NamespaceRows;
import dev.berth.registry.metadata.Transactions;
import java.time.Clock;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The beans {@link PasswordReset} needs and nothing else: the datasource as {@code berth serve}
 * configures it, JDBC and transactions, the account services and the metadata rows they keep.
 * Deliberately not a {@code @Configuration}: component scanning of the server must not pick it up.
 */
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class})
@EnableConfigurationProperties(AuthProperties.class)
@Import({Accounts.class, AccessTokens.class, Namespaces.class, AuditLog.class, AccountRows.class, AccessTokenRows.class,
        NamespaceRows.class, AuditRows.class, Transactions.class})
class PasswordResetContext {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
