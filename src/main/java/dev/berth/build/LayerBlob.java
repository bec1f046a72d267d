package dev.berth.build;

import dev.berth.content.ContentStore;
import dev.berth.content.StagedBlob;
import dev.berth.content.StagingName;
import dev.berth.layer.LayerWriter;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPOutputStream;

/**
 * One layer written straight into the content store: the tar hashed for its diff id, gzipped,
 * and the gzip hashed for the blob's digest as it streams into a staged blob, so no layer is ever
 * held whole. Java's gzip header carries no time and no name, so the same tar gives the same blob.
 */
final class LayerBlob {

    /** What writes the layer's entries. */
    interface Body {
        void write(LayerWriter layer) throws IOException;
    }

    /** @param added whether the blob is new to the store (a failed build removes what it added) */
    record Written(Descriptor descriptor, Digest diffId, boolean added) {
    }

    private LayerBlob() {
    }

    static Written write(ContentStore content, Body body) throws IOException {
        StagedBlob staged = content.stage(StagingName.random());
        try {
            MessageDigest blobHash = Digest.Algorithm.SHA256.newMessageDigest();
            MessageDigest tarHash = Digest.Algorithm.SHA256.newMessageDigest();
            long[] size = {0};
            OutputStream toStage = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    staged.write(b, off, len);
                    blobHash.update(b, off, len);
                    size[0] += len;
                }
            };
            GZIPOutputStream gzip = new GZIPOutputStream(toStage, 64 * 1024);
            DigestOutputStream tar = new DigestOutputStream(new BufferedOutputStream(gzip, 64 * 1024), tarHash);
            LayerWriter writer = new LayerWriter(tar);
            body.write(writer);
            writer.finish();
            tar.flush();
            gzip.finish();
            Digest diffId = Digest.fromHash(Digest.Algorithm.SHA256, tarHash.digest());
            Digest digest = Digest.fromHash(Digest.Algorithm.SHA256, blobHash.digest());
            boolean had = content.contains(digest);
            staged.commit(digest, size[0]);
            return new Written(new Descriptor(MediaType.OCI_LAYER_GZIP, digest, size[0], null, null, null), diffId, !had);
        } finally {
            staged.discard();
        }
    }
}
