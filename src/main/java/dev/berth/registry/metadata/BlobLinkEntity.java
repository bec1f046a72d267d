package dev.berth.registry.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A repository's right to serve a blob: made by a push or a mount into that repository. */
@Entity
@Table(name = "blob_links")
class BlobLinkEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "repository_id", nullable = false)
    private long repositoryId;

    @Column(nullable = false)
    private String digest;

    @Column(name = "linked_at", nullable = false)
    private Instant linkedAt;

    protected BlobLinkEntity() {
    }

}
