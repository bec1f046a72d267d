package dev.berth.registry.metadata;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One descriptor of a manifest: its config, a layer, or a child manifest of an index. */
@Entity
@Table(name = "manifest_references")
public class ManifestReferenceEntity {

    /** What the referenced content is to the manifest. */
    public enum Kind { CONFIG, LAYER, CHILD }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "manifest_id", nullable = false)
    private long manifestId;

    @Column(nullable = false)
    private int ordinal;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Kind kind;

    @Column(nullable = false)
    private String digest;

    @Column(name = "media_type", nullable = false)
    private String mediaType;

    @Column(name = "size_bytes", nullable = false)
    private long size;

    protected ManifestReferenceEntity() {
    }

    public ManifestReferenceEntity(long manifestId, int ordinal, Kind kind, String digest, String mediaType, long size) {
        this.manifestId = manifestId;
        this.ordinal = ordinal;
        this.kind = kind;
        this.digest = digest;
        this.mediaType = mediaType;
        this.size = size;
    }

    public Kind kind() {
        return kind;
    }

    public String digest() {
        return digest;
    }

    public String mediaType() {
        return mediaType;
    }

    public long size() {
        return size;
    }
}
