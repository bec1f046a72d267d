package dev.berth.registry.metadata;

import java.util.function.Supplier;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Short transactions, on the application's one transaction manager (JPA's, which also serves
 * JDBC on the same connection, so SQL and JPA queries in one unit see each other's writes). The
 * ones that can lose a race (two clients creating the same repository, linking the same blob or
 * pushing the same tag at once) are retried: the loser's transaction is rolled back whole and run
 * again, and then it sees the winner's row.
 */
@Component
public class Transactions {

    private static final int ATTEMPTS = 10;

    private final TransactionTemplate template;
    private final TransactionTemplate joining;

    Transactions(PlatformTransactionManager manager) {
        this.template = new TransactionTemplate(manager);
        this.template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.joining = new TransactionTemplate(manager);
        this.joining.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
    }

    /** Runs {@code work} in its own transaction, again (up to a bound) if it conflicted with another. */
    public <T> T retryingOnConflict(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return template.execute(status -> work.get());
            } catch (DataIntegrityViolationException | ConcurrencyFailureException | QueryTimeoutException e) {
                // QueryTimeoutException: H2's lock wait ran out (2 s), e.g. behind GC or an upload of the same blob.
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    /** Runs {@code work} in its own transaction, once. */
    public <T> T inTransaction(Supplier<T> work) {
        return template.execute(status -> work.get());
    }

    /**
     * Runs {@code work} in the caller's transaction, or in its own when the caller has none: for
     * changes that must commit or roll back with the caller's (an account and its namespace, a
     * password reset and its audit event). A runtime exception rolls the whole of it back.
     */
    public <T> T joining(Supplier<T> work) {
        return joining.execute(status -> work.get());
    }

    /** As {@link #joining(Supplier)}, for work that returns nothing. */
    public void joining(Runnable work) {
        joining.executeWithoutResult(status -> work.run());
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep((long) (Math.random() * 5 * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
