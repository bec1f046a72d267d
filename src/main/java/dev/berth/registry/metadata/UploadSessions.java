package dev.berth.registry.metadata;

import java.time.Instant;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Uploads in progress. */
public interface UploadSessions extends JpaRepository<UploadSessionEntity, String> {

    @Query("select u.id from UploadSessionEntity u where u.updatedAt < :before")
    List<String> findIdsUntouchedSince(@Param("before") Instant before);
}
