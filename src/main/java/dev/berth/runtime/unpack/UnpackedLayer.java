package dev.berth.runtime.unpack;

import dev.berth.oci.Digest;

/**
 * What unpacking a layer gave: its diff id (the digest of the uncompressed tar) and its size as
 * docker counts it, the bytes of its files and symlinks (a hard link counted once, directories and
 * whiteouts not at all).
 */
public record UnpackedLayer(Digest diffId, long size) {
}
