package dev.berth.oci;

/**
 * A failure that maps to one OCI error code. The registry writes it as the errors envelope, the
 * CLI as a one-line message; {@code detail} is shown to the client as given.
 */
public class OciException extends RuntimeException {

    private final OciErrorCode code;
    private final transient Object detail;

    public OciException(OciErrorCode code, String message) {
        this(code, message, null);
    }

    public OciException(OciErrorCode code, String message, Object detail) {
        super(message == null ? code.message() : message);
        this.code = code;
        this.detail = detail;
    }

    public OciErrorCode code() {
        return code;
    }

    public Object detail() {
        return detail;
    }
}
