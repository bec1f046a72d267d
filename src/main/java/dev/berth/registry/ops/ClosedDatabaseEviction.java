package dev.berth.registry.ops;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Lets the connection pool recover when embedded H2 closes itself. H2 does that when a write fails
 * (a full disk); its connections then answer every statement with "The database has been closed"
 * while {@code isValid()} still says true, and Hikari, not knowing H2's error codes, kept handing
 * them out until a restart. A new connection opens the database again, so on those errors the
 * connection is dropped and so is the rest of the pool: the next request gets a working one.
 */
@Component
class ClosedDatabaseEviction implements BeanPostProcessor {

    /** H2's DATABASE_IS_CLOSED, CONNECTION_BROKEN_1, DATABASE_CALLED_AT_SHUTDOWN. */
    private static final int[] H2_CLOSED = {90098, 90067, 90121};
    /** H2's GENERAL_ERROR_1: with an MVStore failure as its cause, the store has closed. */
    private static final int H2_GENERAL_ERROR = 50000;

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool) {
            pool.setExceptionOverride(new EvictWhenClosed(pool));
        }
        return bean;
    }

    static boolean meansClosed(SQLException e) {
        for (int code : H2_CLOSED) {
            if (e.getErrorCode() == code) {
                return true;
            }
        }
        return e.getErrorCode() == H2_GENERAL_ERROR && e.getCause() != null
                && e.getCause().getClass().getName().equals("org.h2.mvstore.MVStoreException");
    }

    private record EvictWhenClosed(HikariDataSource pool) implements SQLExceptionOverride {
        @java.lang.Override // plain @Override would name SQLExceptionOverride.Override here
        public SQLExceptionOverride.Override adjudicate(SQLException e) {
            if (!meansClosed(e)) {
                return SQLExceptionOverride.Override.CONTINUE_EVICT;
            }
            // Every pooled connection belongs to the closed database: none of them will work again.
            HikariPoolMXBean bean = pool.getHikariPoolMXBean();
            if (bean != null) {
                bean.softEvictConnections();
            }
            return SQLExceptionOverride.Override.MUST_EVICT;
        }
    }
}
