package dev.berth.registry.metadata;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Committed blobs, and which repository links which. */
public interface Blobs extends JpaRepository<BlobEntity, String> {

    /** The blob, if the named repository links it. */
    @Query("""
            select b from BlobEntity b
            join BlobLinkEntity l on l.digest = b.digest
            join RepositoryEntity r on r.id = l.repositoryId
            where r.name = :repository and b.digest = :digest""")
    Optional<BlobEntity> findLinked(@Param("repository") String repository, @Param("digest") String digest);
}
