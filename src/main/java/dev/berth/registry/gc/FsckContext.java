package dev.berth.registry.gc;

import dev.berth.registry.RegistryProperties;
import dev.berth.registry.metadata.FsckRows;
import dev.berth.registry.metadata.GcReviews;
import dev.berth.registry.metadata.GcRows;
import dev.berth.registry.metadata.GcRunRows;
import dev.berth.registry.metadata.ManifestRecords;
import dev.berth.registry.metadata.QuotaRows;
import dev.berth.registry.metadata.StatsRows;
import dev.berth.registry.metadata.Transactions;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The beans the offline commands need and nothing else ({@link FsckOffline}, {@link GcOffline}):
 * the datasource as {@code berth serve} configures it, JDBC, the {@code berth.*} and
 * {@code berth.gc.*} settings, and the SQL of fsck and GC. No Flyway: they change no schema. Deliberately not a {@code @Configuration}, as
 * {@code PasswordResetContext}: the server's component scan must not pick it up.
 */
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class})
@EnableConfigurationProperties({RegistryProperties.class, GcProperties.class})
@Import({FsckRows.class, GcReviews.class, GcRows.class, GcRunRows.class, ManifestRecords.class, QuotaRows.class, StatsRows.class,
        Transactions.class})
class FsckContext {
}
