package dev.berth.registry.metadata;

import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Short transactions that are retried when they lose a race: two clients creating the same
 * repository, linking the same blob or pushing the same tag at once. The loser's transaction is
 * rolled back whole and run again, and then it sees the winner's row.
 */
@Component
public class Transactions {

    private static final int ATTEMPTS = 10;

    private final TransactionTemplate template;
    /** For work done with plain JDBC only: it needs no JPA EntityManager, which costs more to open than the SQL does. */
    private final TransactionTemplate jdbcTemplate;

    public Transactions(PlatformTransactionManager manager, DataSource dataSource) {
        this.template = new TransactionTemplate(manager);
        this.template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        // Not a bean: one would make Spring Boot drop the JPA transaction manager.
        this.jdbcTemplate = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.jdbcTemplate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Runs {@code work} in its own transaction, again (up to a bound) if it conflicted with another. */
    public <T> T retryingOnConflict(Supplier<T> work) {
        return retrying(template, work);
    }

    /** As {@link #retryingOnConflict}, for work that uses JDBC only (no JPA repository). */
    public <T> T jdbcRetryingOnConflict(Supplier<T> work) {
        return retrying(jdbcTemplate, work);
    }

    /** Runs {@code work} in its own transaction, once. */
    public <T> T inTransaction(Supplier<T> work) {
        return template.execute(status -> work.get());
    }

    private static <T> T retrying(TransactionTemplate template, Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return template.execute(status -> work.get());
            } catch (DataIntegrityViolationException | ConcurrencyFailureException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep((long) (Math.random() * 5 * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
