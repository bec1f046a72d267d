package dev.berth.oci;

/**
 * The error codes of the OCI distribution spec (plus the few that CNCF distribution adds), each with
 * the HTTP status a registry answers it with. Clients read the code; the status follows distribution.
 */
public enum OciErrorCode {
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(400, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    NAME_INVALID(400, "invalid repository name"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    SIZE_INVALID(400, "provided length did not match content length"),
    TAG_INVALID(400, "manifest tag did not match URI"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    UNSUPPORTED(405, "the operation is unsupported"),
    TOOMANYREQUESTS(429, "too many requests"),
    PAGINATION_NUMBER_INVALID(400, "invalid number of results requested"),
    RANGE_INVALID(416, "invalid content range"),
    MANIFEST_TOO_LARGE(413, "manifest too large"),
    NOT_FOUND(404, "no such endpoint"),
    UNKNOWN(500, "unknown error"),
    /** The registry's disk is (nearly) full: distribution answers that with a 500 UNKNOWN, Berth with 507. */
    INSUFFICIENT_STORAGE(507, "the registry's storage is full"),
    UNAVAILABLE(503, "service unavailable");

    private final int httpStatus;
    private final String message;

    OciErrorCode(int httpStatus, String message) {
        this.httpStatus = httpStatus;
        this.message = message;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The code an error status is answered with when the server did not choose it as a code: the
     * servlet container refused the request, or could not read its body. The server's one mapping
     * from status to code, the reverse of {@link #httpStatus()} where the status names one code.
     */
    public static OciErrorCode forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> DENIED;
            case 404 -> NOT_FOUND;
            case 408 -> BLOB_UPLOAD_INVALID;
            case 411, 413 -> SIZE_INVALID;
            case 416 -> RANGE_INVALID;
            case 429 -> TOOMANYREQUESTS;
            case 503 -> UNAVAILABLE;
            case 507 -> INSUFFICIENT_STORAGE;
            case 501, 505 -> UNSUPPORTED;
            default -> status >= 500 ? UNKNOWN : UNSUPPORTED;
        };
    }

    public String message() {
        return message;
    }

    /**
     * The code as written on the wire. The spec has no code of its own for an oversized manifest,
     * an unknown endpoint or a full disk, so those borrow the nearest one; their HTTP status tells them apart.
     */
    public String wireCode() {
        return switch (this) {
            case MANIFEST_TOO_LARGE -> "MANIFEST_INVALID";
            case NOT_FOUND -> "UNSUPPORTED";
            case INSUFFICIENT_STORAGE -> "UNKNOWN";
            default -> name();
        };
    }
}
