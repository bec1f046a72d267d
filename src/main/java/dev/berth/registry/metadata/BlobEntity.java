package dev.berth.registry.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A blob whose bytes are committed to the blob store. */
@Entity
@Table(name = "blobs")
public class BlobEntity {

    @Id
    private String digest;

    @Column(name = "size_bytes", nullable = false)
    private long size;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected BlobEntity() {
    }

    public String digest() {
        return digest;
    }

    public long size() {
        return size;
    }
}
