package dev.berth.registry.repository;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Catalog pages cut down to what one caller may see: the same page as
 * {@link RepositoryService#catalog}, with an SQL condition on {@code r.name} added (from the access
 * policy), so that paging and the {@code Link} header count only what is listed.
 */
@Service
public class CatalogPages {

    private final JdbcClient jdbc;

    CatalogPages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param condition  an SQL condition on the repository's name, {@code r.name}
     * @param parameters the named parameters it uses
     */
    public List<String> page(String last, int limit, String condition, Map<String, Object> parameters) {
        return jdbc.sql("""
                select r.name from repositories r
                where r.name > :last and exists (select 1 from manifests m where m.repository_id = r.id)
                and (%s)
                order by r.name
                limit :limit""".formatted(condition))
                .param("last", last == null ? "" : last).param("limit", limit).params(parameters)
                .query(String.class).list();
    }
}
