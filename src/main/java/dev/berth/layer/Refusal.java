package dev.berth.layer;

/**
 * What the policy refuses, on its way to {@link LayerReader}, which says where. Unchecked, so that
 * the size limit's refusal passes through the tar reader's and the decompressors' calls as it is.
 */
final class Refusal extends RuntimeException {

    Refusal(String reason) {
        super(reason, null, false, false);
    }
}
