package dev.berth.registry.metadata;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Stored repositories. */
public interface Repositories extends JpaRepository<RepositoryEntity, Long> {

    Optional<RepositoryEntity> findByName(String name);

    /** One page of the catalog: repositories holding at least one manifest, in byte order, after {@code last}. */
    @Query("""
            select r.name from RepositoryEntity r
            where r.name > :last and exists (select 1 from ManifestEntity m where m.repositoryId = r.id)
            order by r.name""")
    List<String> catalogPage(@Param("last") String last, Limit limit);

    /** As {@link #catalogPage(String, Limit)}, for callers outside metadata (which do not see Spring Data). */
    default List<String> catalogPage(String last, int limit) {
        return catalogPage(last, Limit.of(limit));
    }
}
