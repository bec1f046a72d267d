package dev.berth.registry.gc;

import java.util.function.Consumer;

/** What one fsck run checked and found; each finding goes to the sink as it is found. */
public final class FsckReport {

    private final Consumer<FsckFinding> sink;
    private long blobFiles;
    private long bytesRead;
    private long manifests;
    private long tags;
    private long uploads;
    private long problems;
    private long repaired;
    private long lost;
    private long notes;

    FsckReport(Consumer<FsckFinding> sink) {
        this.sink = sink;
    }

    void found(FsckFinding finding) {
        if (finding.kind().problem()) {
            problems++;
            if (finding.isRepaired()) {
                repaired++;
            }
            if (finding.kind() == FsckFinding.Kind.LOST_DATA || finding.kind() == FsckFinding.Kind.CORRUPT) {
                lost++;
            }
        } else {
            notes++;
        }
        sink.accept(finding);
    }

    void blobFileRead(long bytes) {
        blobFiles++;
        bytesRead += bytes;
    }

    void blobFileSeen() {
        blobFiles++;
    }

    void counted(long manifests, long tags) {
        this.manifests = manifests;
        this.tags = tags;
    }

    void uploadSeen() {
        uploads++;
    }

    /** Nothing is wrong, or everything wrong was repaired: exit code 0. */
    public boolean allWell() {
        return problems == repaired;
    }

    public long problems() {
        return problems;
    }

    public long repaired() {
        return repaired;
    }

    /** Problems whose bytes are gone or wrong (lost data, corrupt blobs). */
    public long lost() {
        return lost;
    }

    /** One line: what was checked, what was found. */
    public String summary() {
        String checked = count(blobFiles, "blob file") + " (" + bytesRead + " bytes read), " + count(manifests, "manifest") + ", "
                + count(tags, "tag") + ", " + count(uploads, "upload") + " checked";
        if (problems == 0) {
            return "fsck: " + checked + ": all well" + (notes == 0 ? "" : " (" + count(notes, "note") + ")");
        }
        return "fsck: " + checked + ": " + count(problems, "problem")
                + (lost == 0 ? "" : " (" + lost + " with data lost or damaged)")
                + ", " + repaired + " repaired" + (notes == 0 ? "" : ", " + count(notes, "note"))
                + (allWell() ? ": all well now" : "");
    }

    private static String count(long n, String thing) {
        return n + " " + thing + (n == 1 ? "" : "s");
    }
}
