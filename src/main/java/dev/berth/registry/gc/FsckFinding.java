package dev.berth.registry.gc;

/**
 * One thing {@code berth fsck} found, as one line: its kind, what it is about, what is wrong, and
 * what {@code --repair} did about it (null: nothing).
 */
public record FsckFinding(Kind kind, String subject, String detail, String repair) {

    /** What was found; whether it is a problem (a non-zero exit unless repaired) or a note. */
    public enum Kind {
        /** A blob row without its file: bytes a pull needs are gone. Never repaired. */
        LOST_DATA("LOST DATA", true),
        /** A blob file whose size or bytes are not what its digest and row say. */
        CORRUPT("CORRUPT", true),
        /** A blob file without a row that manifests still name: the bytes are kept. */
        UNRECORDED("UNRECORDED", true),
        /** A blob file nothing knows about (left by a crash or by GC): {@code --repair} removes it. */
        ORPHAN("ORPHAN", true),
        /** Something under {@code blobs/} that is not a blob file. */
        STRAY("STRAY", true),
        /** A manifest or tag that points at what is not there. */
        BROKEN("BROKEN", true),
        /** Staged upload bytes without a session, or a session without bytes. */
        UPLOAD("UPLOAD", true),
        /** Allowed, but worth knowing (a referrer whose subject is not stored). */
        NOTE("NOTE", false);

        private final String label;
        private final boolean problem;

        Kind(String label, boolean problem) {
            this.label = label;
            this.problem = problem;
        }

        public String label() {
            return label;
        }

        public boolean problem() {
            return problem;
        }
    }

    static FsckFinding of(Kind kind, String subject, String detail) {
        return new FsckFinding(kind, subject, detail, null);
    }

    FsckFinding repaired(String how) {
        return new FsckFinding(kind, subject, detail, how);
    }

    public boolean isRepaired() {
        return repair != null;
    }

    @Override
    public String toString() {
        return kind.label() + " " + subject + ": " + detail + (repair == null ? "" : " [repaired: " + repair + "]");
    }
}
