package dev.berth.registry.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An upload in progress. Its bytes are staged on disk under the same id. */
@Entity
@Table(name = "upload_sessions")
public class UploadSessionEntity {

    @Id
    private String id;

    @Column(name = "repository_id", nullable = false)
    private long repositoryId;

    @Column(nullable = false)
    private long received;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected UploadSessionEntity() {
    }
}
