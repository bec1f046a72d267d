package dev.berth.registry.metadata;

import java.time.Instant;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Uploads in progress. */
public interface UploadSessions extends JpaRepository<UploadSessionEntity, String> {

    /** Records an upload's size after a chunk, and that it is still alive. */
    @Modifying
    @Query("update UploadSessionEntity u set u.received = :size, u.updatedAt = :now where u.id = :id")
    int recordProgress(@Param("id") String id, @Param("size") long size, @Param("now") Instant now);

    @Query("select u.id from UploadSessionEntity u where u.updatedAt < :before")
    List<String> findIdsUntouchedSince(@Param("before") Instant before);
}
