package dev.berth.content.s3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An upload's multipart upload as the spool keeps it, in {@code <name>.parts} beside the spooled
 * tail: the upload id on the first line, then the ETag of each part in order (part n holds bytes
 * {@code (n-1)*partSize} to {@code n*partSize}). Rewritten whole (write, then rename) after each
 * part, so a crash leaves the old record or the new one; S3 keeps a part that the record lost
 * until the multipart upload is aborted or completed without it.
 */
record PartsRecord(String uploadId, List<String> etags) {

    PartsRecord {
        etags = List.copyOf(etags);
    }

    static PartsRecord started(String uploadId) {
        return new PartsRecord(uploadId, List.of());
    }

    PartsRecord with(String etag) {
        List<String> more = new ArrayList<>(etags);
        more.add(etag);
        return new PartsRecord(uploadId, more);
    }

    PartsRecord firstParts(int count) {
        return new PartsRecord(uploadId, etags.subList(0, count));
    }

    /** The record in {@code file}, or null when there is none (nothing went to S3 yet). */
    static PartsRecord read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new IOException("the multipart record " + file + " is empty");
        }
        return new PartsRecord(lines.get(0), lines.subList(1, lines.size()));
    }

    void write(Path file) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, uploadId + "\n" + String.join("\n", etags) + (etags.isEmpty() ? "" : "\n"), StandardCharsets.US_ASCII);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
