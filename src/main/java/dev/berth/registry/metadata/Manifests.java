package dev.berth.registry.metadata;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Stored manifests. */
public interface Manifests extends JpaRepository<ManifestEntity, Long> {

    Optional<ManifestEntity> findByRepositoryIdAndDigest(long repositoryId, String digest);

    @Query("""
            select m from ManifestEntity m join RepositoryEntity r on r.id = m.repositoryId
            where r.name = :repository and m.digest = :digest""")
    Optional<ManifestEntity> findByDigest(@Param("repository") String repository, @Param("digest") String digest);

    @Query("""
            select m from ManifestEntity m
            join TagEntity t on t.manifestId = m.id
            join RepositoryEntity r on r.id = t.repositoryId
            where r.name = :repository and t.name = :tag""")
    Optional<ManifestEntity> findByTag(@Param("repository") String repository, @Param("tag") String tag);

    /** Manifests of a repository whose {@code subject} is {@code digest}, in digest order. */
    @Query("""
            select m from ManifestEntity m join RepositoryEntity r on r.id = m.repositoryId
            where r.name = :repository and m.subjectDigest = :subject order by m.digest""")
    List<ManifestEntity> findReferrers(@Param("repository") String repository, @Param("subject") String subject);
}
