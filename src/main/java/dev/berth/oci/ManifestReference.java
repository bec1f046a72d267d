package dev.berth.oci;


/** The {@code <reference>} of a manifest URL: a tag or a digest, nothing else. */
public sealed interface ManifestReference {

    record ByTag(Tag tag) implements ManifestReference {
        @Override
        public String toString() {
            return tag.value();
        }
    }

    record ByDigest(Digest digest) implements ManifestReference {
        @Override
        public String toString() {
            return digest.toString();
        }
    }

    /** A digest when it has a digest's shape, else a tag; anything else is refused. */
    static ManifestReference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new OciException(OciErrorCode.MANIFEST_INVALID, "a tag or digest is required");
        }
        if (text.indexOf(':') >= 0) {
            return new ByDigest(Digest.of(text));
        }
        return new ByTag(Tag.of(text));
    }
}
