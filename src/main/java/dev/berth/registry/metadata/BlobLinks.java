package dev.berth.registry.metadata;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Links from repositories to the blobs they may serve. */
public interface BlobLinks extends JpaRepository<BlobLinkEntity, Long> {

    @Modifying
    @Query("delete from BlobLinkEntity l where l.repositoryId = :repositoryId and l.digest = :digest")
    int unlink(@Param("repositoryId") long repositoryId, @Param("digest") String digest);
}
