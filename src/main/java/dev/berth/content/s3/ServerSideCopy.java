package dev.berth.content.s3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Copies a verified upload's object to its digest's key inside the S3 server, no byte through
 * Berth: one CopyObject up to S3's 5 GiB limit for it, a multipart copy of 1 GiB parts above.
 */
record ServerSideCopy(S3ContentStore store, String source, String target, long size) {

    private static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
    private static final long COPY_PART = 1024L * 1024 * 1024;

    void run() throws IOException {
        String bucket = store.settings().bucket();
        if (size <= MAX_SINGLE_COPY) {
            S3ContentStore.call("copy " + source + " to " + target, () -> store.s3().copyObject(r -> r
                    .sourceBucket(bucket).sourceKey(source).destinationBucket(bucket).destinationKey(target)));
            return;
        }
        String uploadId = S3ContentStore.call("start a multipart copy to " + target, () -> store.s3()
                .createMultipartUpload(r -> r.bucket(bucket).key(target))).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long start = 0; start < size; start += COPY_PART) {
                int number = parts.size() + 1;
                String range = "bytes=" + start + "-" + (Math.min(size, start + COPY_PART) - 1);
                String etag = S3ContentStore.call("copy part " + number + " to " + target, () -> store.s3().uploadPartCopy(r -> r
                        .sourceBucket(bucket).sourceKey(source).destinationBucket(bucket).destinationKey(target)
                        .uploadId(uploadId).partNumber(number).copySourceRange(range))).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            S3ContentStore.call("complete the multipart copy to " + target, () -> store.s3().completeMultipartUpload(r -> r
                    .bucket(bucket).key(target).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
        } catch (IOException | RuntimeException e) {
            try {
                store.s3().abortMultipartUpload(r -> r.bucket(bucket).key(target).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }
}
