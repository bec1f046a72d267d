package dev.berth.registry.metadata;

import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** A fresh in-memory H2 database with the product's Flyway migrations applied, for slice tests of metadata. */
final class MetadataDatabase {

    private static final AtomicInteger COUNT = new AtomicInteger();

    private MetadataDatabase() {
    }

    static JdbcTemplate migrated() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:metadata-" + COUNT.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("berth");
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/migration/common", "classpath:db/migration/h2").load().migrate();
        return new JdbcTemplate(dataSource);
    }
}
