package dev.berth.registry.metadata;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code audit_events} table, written in the caller's transaction when there is one (so an
 * event is kept exactly when its change is). What is recorded is registry.auth's AuditLog.
 */
@Component
public class AuditRows {

    /** One event, as stored; see registry.auth's AuditEvent. */
    public record Row(long id, Instant occurredAt, String actor, String action, String target, String clientAddress,
            String detail) {
    }

    private final JdbcClient jdbc;

    AuditRows(JdbcTemplate jdbc) {
        this.jdbc = JdbcClient.create(jdbc);
    }

    /** Adds an event; the caller cuts the values to the columns' widths. */
    public void insert(Instant at, String actor, String action, String target, String clientAddress, String detail) {
        jdbc.sql("""
                insert into audit_events (occurred_at, actor, action, target, client_address, detail)
                values (:at, :actor, :action, :target, :address, :detail)""")
                .param("at", Timestamps.of(at)).param("actor", actor).param("action", action).param("target", target)
                .param("address", clientAddress).param("detail", detail)
                .update();
    }

    /**
     * The newest events first.
     *
     * @param beforeId only events older than this one; null for the newest
     */
    public List<Row> newest(Long beforeId, int limit) {
        return jdbc.sql("select * from audit_events where id < :before order by id desc limit :limit")
                .param("before", beforeId == null ? Long.MAX_VALUE : beforeId).param("limit", limit)
                .query(AuditRows::row).list();
    }

    private static Row row(ResultSet rs, int row) throws SQLException {
        return new Row(rs.getLong("id"), Timestamps.instant(rs, "occurred_at"), rs.getString("actor"),
                rs.getString("action"), rs.getString("target"), rs.getString("client_address"), rs.getString("detail"));
    }
}
