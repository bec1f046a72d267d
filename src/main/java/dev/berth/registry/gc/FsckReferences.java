package dev.berth.registry.gc;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciException;
import dev.berth.registry.gc.FsckFinding.Kind;
import dev.berth.registry.metadata.FsckRows;
import java.util.List;
import java.util.Locale;

/**
 * Every manifest against what it points at: its config and layers must be blobs its repository
 * links, its children manifests of its repository, its tags in its repository, and its stored
 * bytes must hash to its digest. A subject that is not stored is a note: OCI lets a referrer be
 * pushed before its subject.
 */
final class FsckReferences {

    /** As ManifestService: layers whose media type holds this (OCI's non-distributable ones) are never pushed. */
    private static final String NONDISTRIBUTABLE = ".nondistributable.";
    private static final int PAGE = 500;

    private final FsckRows rows;
    private final FsckReport report;

    FsckReferences(FsckRows rows, FsckReport report) {
        this.rows = rows;
        this.report = report;
    }

    void check() {
        rows.unlinkedBlobs(MediaType.DOCKER_FOREIGN_LAYER.value(), NONDISTRIBUTABLE, r -> report.found(FsckFinding.of(Kind.BROKEN,
                "manifest " + r.repository() + "@" + r.manifest(), r.kind().toLowerCase(Locale.ROOT) + " " + r.target()
                        + (r.blobRowExists() ? " is a blob the repository does not link" : " has no blob row")
                        + ": pulls of it fail")));
        rows.missingChildren(r -> report.found(FsckFinding.of(Kind.BROKEN, "manifest " + r.repository() + "@" + r.manifest(),
                "child manifest " + r.target() + " is not in the repository: pulls of it fail")));
        rows.tagsOutsideTheirRepository(t -> report.found(FsckFinding.of(Kind.BROKEN, "tag " + t.repository() + ":" + t.tag(),
                "points at manifest " + t.manifest() + " of another repository")));
        rows.missingSubjects(r -> report.found(FsckFinding.of(Kind.NOTE, "manifest " + r.repository() + "@" + r.manifest(),
                "its subject " + r.target() + " is not in the repository (OCI allows a referrer before its subject)")));
        checkStoredBytes();
        report.counted(rows.manifestCount(), rows.tagCount());
    }

    /** Manifests are stored as the bytes the client sent: those bytes must still hash to the digest. */
    private void checkStoredBytes() {
        long after = 0;
        for (List<Long> ids = rows.manifestIdsAfter(after, PAGE); !ids.isEmpty(); ids = rows.manifestIdsAfter(after, PAGE)) {
            for (long id : ids) {
                rows.manifestContent(id).ifPresent(m -> {
                    String subject = "manifest " + m.repository() + "@" + m.digest();
                    Digest digest;
                    try {
                        digest = Digest.of(m.digest());
                    } catch (OciException e) {
                        report.found(FsckFinding.of(Kind.BROKEN, subject, "its digest is not one: " + e.getMessage()));
                        return;
                    }
                    Digest actual = Digest.fromHash(digest.algorithm(), digest.algorithm().newMessageDigest().digest(m.content()));
                    if (!actual.equals(digest)) {
                        report.found(FsckFinding.of(Kind.CORRUPT, subject, "its stored bytes hash to " + actual));
                    }
                });
            }
            after = ids.get(ids.size() - 1);
        }
    }
}
