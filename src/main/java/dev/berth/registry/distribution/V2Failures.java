package dev.berth.registry.distribution;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.registry.storage.DiskFull;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * What a {@code /v2} request that failed answers, the same whether it failed in the servlet or
 * while its body arrived asynchronously: the client's mistakes their OCI code, a full disk 507,
 * an unreachable database 503, anything else 500 naming the request id (its stack trace goes to
 * the log, never to the client).
 */
@Component
class V2Failures {

    private static final Logger log = LoggerFactory.getLogger(V2Failures.class);

    private final OciErrorWriter errors;

    V2Failures(OciErrorWriter errors) {
        this.errors = errors;
    }

    /** Writes the answer to {@code failure}; {@code request} is null when the request was not routed yet. */
    void answer(HttpServletRequest http, HttpServletResponse response, V2Request request, Throwable failure) throws IOException {
        if (failure instanceof OciException e) {
            errors.write(response, request, e);
        } else if (failure instanceof EOFException) {
            // The client announced more than it sent, or hung up mid-body. When the container noticed
            // it first, it has already sent the request to the error page, where V2ErrorFilter answers.
            errors.write(response, OciErrorCode.SIZE_INVALID, "the request body ended before its Content-Length", null);
        } else if (failure instanceof IOException && http.getAttribute(RequestDispatcher.ERROR_EXCEPTION) == failure) {
            // A body the container could not read (bad chunking, timeout): the client's fault, and
            // the container forwards it to the error page, where V2ErrorFilter answers.
            log.debug("unreadable request body: {}", failure.toString());
        } else if (isClientGone(failure)) {
            log.debug("client went away: {}", failure.toString());
        } else {
            log.error("{} on {} {}", failure instanceof IOException ? "I/O failure" : "failure", http.getMethod(), http.getRequestURI(), failure);
            OciErrorCode code = codeOf(failure);
            String what = switch (code) {
                case INSUFFICIENT_STORAGE -> "the registry's disk is full";
                case UNAVAILABLE -> "the registry's database is unavailable";
                default -> failure instanceof IOException ? "storage failure" : "internal error";
            };
            errors.write(response, code, what + ", see the server log (request " + http.getAttribute("berth.requestId") + ")", null);
        }
    }

    /**
     * The code a failure is answered with: an {@link OciException}'s own, else what kind of
     * failure it is (a body cut short, a full disk, the database out of reach, anything else).
     */
    static OciErrorCode codeOf(Throwable failure) {
        if (failure instanceof OciException e) {
            return e.code();
        } else if (failure instanceof EOFException) {
            return OciErrorCode.SIZE_INVALID;
        } else if (DiskFull.isCauseOf(failure)) {
            return OciErrorCode.INSUFFICIENT_STORAGE;
        } else if (failure instanceof DataAccessResourceFailureException) {
            return OciErrorCode.UNAVAILABLE;
        }
        return OciErrorCode.UNKNOWN;
    }

    /**
     * Whether the answer to {@code failure} makes Tomcat close the connection (its statuses 400,
     * 408, 411, 413, 414, 500, 501, 503): then it goes out at once and the rest of the body is
     * never read. Any other error is answered once the body has been read and dropped, since
     * writing an answer closes the request's input, and what is left of the body would then be
     * swallowed by a thread waiting for the client.
     */
    boolean closesConnection(Throwable failure) {
        return switch (codeOf(failure).httpStatus()) {
            case 400, 408, 411, 413, 414, 500, 501, 503 -> true;
            default -> false;
        };
    }

    /**
     * The answer to a body the container could not read: while it arrived asynchronously, or (sent
     * to the error page by the container, {@link V2ErrorFilter}) while a servlet read it.
     */
    void answerUnreadable(HttpServletResponse response, Throwable failure) throws IOException {
        if (causedBy(failure, SocketTimeoutException.class)) {
            errors.write(response, OciErrorCode.BLOB_UPLOAD_INVALID, "the client stopped sending the request body", null);
        } else if (causedBy(failure, EOFException.class)) {
            errors.write(response, OciErrorCode.SIZE_INVALID, "the request body ended before its Content-Length", null);
        } else if (!isClientGone(failure)) {
            log.debug("unreadable request body: {}", failure.toString());
            errors.write(response, OciErrorCode.BLOB_UPLOAD_INVALID, "the request body could not be read", null);
        }
    }

    /** The answer to a body dropped because it arrived slower than the minimum rate. */
    void answerTooSlow(HttpServletResponse response, String message) throws IOException {
        errors.write(response, OciErrorCode.BLOB_UPLOAD_INVALID, message, null);
    }

    static boolean isClientGone(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("ClientAbortException")) {
                return true;
            }
        }
        return false;
    }

    static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
