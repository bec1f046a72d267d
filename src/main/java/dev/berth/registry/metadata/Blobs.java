package dev.berth.registry.metadata;

import java.util.Collection;
import java.util.List;
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

    /** Of {@code digests}, those the repository links. */
    @Query("select l.digest from BlobLinkEntity l where l.repositoryId = :repositoryId and l.digest in :digests")
    List<String> linkedAmong(@Param("repositoryId") long repositoryId, @Param("digests") Collection<String> digests);
}
