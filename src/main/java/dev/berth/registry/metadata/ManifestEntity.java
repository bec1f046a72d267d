package dev.berth.registry.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A manifest or index of one repository, as JPA queries see it (the catalog's "has a manifest").
 * The exact bytes the client pushed ({@code content}) are not mapped: the column is a BLOB on H2
 * and a bytea on PostgreSQL, and {@link ManifestRecords} reads and writes them in SQL.
 */
@Entity
@Table(name = "manifests")
class ManifestEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "repository_id", nullable = false)
    private long repositoryId;

    @Column(nullable = false)
    private String digest;

    @Column(name = "media_type", nullable = false)
    private String mediaType;

    @Column(name = "artifact_type")
    private String artifactType;

    @Column(name = "subject_digest")
    private String subjectDigest;

    @Column(name = "size_bytes", nullable = false)
    private long size;

    @Column(name = "pushed_at", nullable = false)
    private Instant pushedAt;

    protected ManifestEntity() {
    }
}
