package dev.berth.registry.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A tag: a name in a repository that points at one manifest. */
@Entity
@Table(name = "tags")
public class TagEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "repository_id", nullable = false)
    private long repositoryId;

    @Column(nullable = false)
    private String name;

    @Column(name = "manifest_id", nullable = false)
    private long manifestId;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected TagEntity() {
    }

    public TagEntity(long repositoryId, String name, long manifestId, Instant updatedAt) {
        this.repositoryId = repositoryId;
        this.name = name;
        this.manifestId = manifestId;
        this.updatedAt = updatedAt;
    }

    public String name() {
        return name;
    }

    public long manifestId() {
        return manifestId;
    }

    public void pointAt(long manifestId, Instant now) {
        this.manifestId = manifestId;
        this.updatedAt = now;
    }
}
