package dev.berth.registry.metadata;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The descriptors of stored manifests. */
public interface ManifestReferences extends JpaRepository<ManifestReferenceEntity, Long> {

    @Query("select r from ManifestReferenceEntity r where r.manifestId = :manifestId order by r.ordinal")
    List<ManifestReferenceEntity> findOfManifest(@Param("manifestId") long manifestId);

    @Modifying
    @Query("delete from ManifestReferenceEntity r where r.manifestId = :manifestId")
    int deleteOfManifest(@Param("manifestId") long manifestId);
}
