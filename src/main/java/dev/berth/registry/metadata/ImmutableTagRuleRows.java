package dev.berth.registry.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The immutable-tag rules set in the web UI ({@code immutable_tag_rules}). */
@Component
public class ImmutableTagRuleRows {

    /** A stored rule: a glob of repository names, a regular expression of tags, who set it and when. */
    public record Row(long id, String repositories, String tags, String createdBy, Instant createdAt) {
    }

    private final JdbcTemplate jdbc;

    ImmutableTagRuleRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every stored rule, oldest first. */
    public List<Row> all() {
        return jdbc.query("SELECT id, repositories, tags, created_by, created_at FROM immutable_tag_rules ORDER BY id",
                (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), Timestamps.instant(rs, 5)));
    }

    public void insert(String repositories, String tags, String createdBy, Instant now) {
        jdbc.update("INSERT INTO immutable_tag_rules (repositories, tags, created_by, created_at) VALUES (?, ?, ?, ?)",
                repositories, tags, createdBy, BlobRecords.timestamp(now));
    }

    /** @return the rule that was deleted, if there was one */
    public Optional<Row> delete(long id) {
        Optional<Row> found = jdbc.query(
                "SELECT id, repositories, tags, created_by, created_at FROM immutable_tag_rules WHERE id = ?",
                (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), Timestamps.instant(rs, 5)), id)
                .stream().findFirst();
        found.ifPresent(row -> jdbc.update("DELETE FROM immutable_tag_rules WHERE id = ?", id));
        return found;
    }
}
