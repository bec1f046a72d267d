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
class TagEntity {

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
}
