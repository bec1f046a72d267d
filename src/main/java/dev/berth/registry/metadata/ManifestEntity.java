package dev.berth.registry.metadata;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A manifest or index of one repository, with the exact bytes the client pushed. */
@Entity
@Table(name = "manifests")
public class ManifestEntity {

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

    @Basic(fetch = FetchType.EAGER)
    @Column(nullable = false)
    private byte[] content;

    @Column(name = "pushed_at", nullable = false)
    private Instant pushedAt;

    protected ManifestEntity() {
    }

    public ManifestEntity(long repositoryId, String digest, String mediaType, String artifactType,
                          String subjectDigest, byte[] content, Instant pushedAt) {
        this.repositoryId = repositoryId;
        this.digest = digest;
        this.mediaType = mediaType;
        this.artifactType = artifactType;
        this.subjectDigest = subjectDigest;
        this.size = content.length;
        this.content = content;
        this.pushedAt = pushedAt;
    }

    public Long id() {
        return id;
    }

    public long repositoryId() {
        return repositoryId;
    }

    public String digest() {
        return digest;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The artifact type the referrers API reports: the manifest's own, else its config's media type. */
    public String artifactType() {
        return artifactType;
    }

    public String subjectDigest() {
        return subjectDigest;
    }

    public long size() {
        return size;
    }

    public byte[] content() {
        return content;
    }

    public Instant pushedAt() {
        return pushedAt;
    }
}
