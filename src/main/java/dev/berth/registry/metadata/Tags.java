package dev.berth.registry.metadata;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Tags of all repositories. */
public interface Tags extends JpaRepository<TagEntity, Long> {

    Optional<TagEntity> findByRepositoryIdAndName(long repositoryId, String name);

    @Modifying
    @Query("delete from TagEntity t where t.manifestId = :manifestId")
    int deleteAllPointingAt(@Param("manifestId") long manifestId);

    @Modifying
    @Query("delete from TagEntity t where t.repositoryId = :repositoryId and t.name = :name")
    int deleteByName(@Param("repositoryId") long repositoryId, @Param("name") String name);
}
