package dev.berth.cli;

import picocli.CommandLine.Option;

/** How much a layer may unpack to: the options of the commands that unpack (pull and run). */
final class UnpackOptions {

    @Option(names = "--max-unpacked-size", paramLabel = "SIZE", defaultValue = "${env:BERTH_MAX_UNPACKED_SIZE:-64g}",
            description = "Refuse a layer whose uncompressed tar is larger, e.g. 8g (default: 64g; env BERTH_MAX_UNPACKED_SIZE).")
    String maxUnpackedSize;

    long maxUnpackedSize() {
        long bytes;
        try {
            bytes = ByteSize.parse(maxUnpackedSize);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--max-unpacked-size (or BERTH_MAX_UNPACKED_SIZE): " + e.getMessage(), e);
        }
        if (bytes <= 0) {
            throw new IllegalArgumentException("--max-unpacked-size must be positive: " + maxUnpackedSize);
        }
        return bytes;
    }
}
