package dev.berth.registry.distribution;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.registry.RegistryProperties;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * How {@code /v2} reads request bodies: never with a thread waiting for the client. Blobs stream
 * into their upload ({@link #stream}); a manifest is gathered in memory, within a budget shared by
 * all requests, before its endpoint runs; a body nobody wants (on an error, or sent to an endpoint
 * that takes none) is read and dropped before the answer ({@link #handle}, {@link #answer}).
 */
@Component
class V2Bodies {

    private final V2Failures failures;
    private final AsyncBody.Pace pace;
    private final long maxManifestSize;
    /** Bytes that manifest bodies being gathered may still take, all requests together. */
    private final AtomicLong manifestBudget;

    V2Bodies(V2Failures failures, RegistryProperties properties) {
        this.failures = failures;
        this.pace = new AsyncBody.Pace(properties.uploads().minRate().toBytes(), properties.uploads().minRateWindow().toNanos());
        this.maxManifestSize = properties.manifests().maxSize().toBytes();
        this.manifestBudget = new AtomicLong(Math.max(2 * maxManifestSize, Runtime.getRuntime().maxMemory() / 8));
    }

    /** Streams the body into {@code sink} as it arrives, or ends the sink at once when there is no body. */
    void stream(V2Request request, HttpServletResponse response, AsyncBody.Sink sink) throws IOException {
        if (!request.hasBody()) {
            sink.end(response);
            return;
        }
        try {
            AsyncBody.read(request, response, sink, failures, pace);
        } catch (IOException | RuntimeException e) {
            sink.abandon("the body could not be read: " + e);
            throw e;
        }
    }

    /**
     * Runs a method's handler on a request, reading its body as the method declares: at once when
     * there is no body or the handler streams it; a manifest is gathered in memory first; any other
     * body is read and dropped first.
     */
    void handle(V2Method method, V2Request request, HttpServletResponse response) throws IOException {
        V2Method.Body body = request.hasBody() ? method.body().apply(request) : V2Method.Body.NONE;
        V2Method.Handler handler = method.handler();
        if (!request.hasBody() || body == V2Method.Body.STREAMED) {
            handler.handle(request, response);
        } else if (body == V2Method.Body.MANIFEST && request.contentLength() <= maxManifestSize) {
            // One announced larger than the limit is refused by the endpoint without reading it.
            AsyncBody.read(request, response, new Gathered(request, handler), failures, pace);
        } else {
            AsyncBody.read(request, response, new Dropped(() -> handler.handle(request, response)), failures, pace);
        }
    }

    /**
     * Answers a request that failed before its body was read ({@code request} null when it was not
     * routed yet): at once when the answer closes the connection anyway, else after the body has been
     * read and dropped without a thread waiting, so the connection can serve the next request.
     */
    void answer(HttpServletRequest http, V2Request request, HttpServletResponse response, Throwable failure) throws IOException {
        boolean unread = V2Request.hasBody(http) && !http.isAsyncStarted() && http.getAttribute(RequestDispatcher.ERROR_EXCEPTION) == null
                && !http.getInputStream().isFinished();
        if (unread && !failures.closesConnection(failure)) {
            AsyncBody.dropThenAnswer(http, request, response, failure, failures, pace);
        } else {
            failures.answer(http, response, request, failure);
        }
    }

    /** A body nobody wants, read and dropped before its request is answered. */
    private record Dropped(Answer answer) implements AsyncBody.Sink {
        interface Answer {
            void write() throws IOException;
        }

        @Override
        public void accept(byte[] buffer, int offset, int length) {
            // dropped
        }

        @Override
        public void end(HttpServletResponse response) throws IOException {
            answer.write();
        }

        @Override
        public void abandon(String why) {
            // nothing kept
        }
    }

    /** A manifest body in memory, counted against the budget while it is held. */
    private final class Gathered implements AsyncBody.Sink {
        private final V2Request request;
        private final V2Method.Handler handler;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private long reserved;

        Gathered(V2Request request, V2Method.Handler handler) {
            this.request = request;
            this.handler = handler;
        }

        @Override
        public void accept(byte[] buffer, int offset, int length) {
            if (bytes.size() + (long) length > maxManifestSize) {
                // As ManifestEndpoint says it of a body announced too large.
                throw new OciException(OciErrorCode.MANIFEST_TOO_LARGE, "manifest is larger than the " + maxManifestSize + "-byte limit");
            }
            if (manifestBudget.addAndGet(-length) < 0) {
                manifestBudget.addAndGet(length);
                throw new OciException(OciErrorCode.TOOMANYREQUESTS, "too many manifests are arriving at once, try again");
            }
            reserved += length;
            bytes.write(buffer, offset, length);
        }

        @Override
        public void end(HttpServletResponse response) throws IOException {
            try {
                handler.handle(request.withBody(bytes.toByteArray()), response);
            } finally {
                release();
            }
        }

        @Override
        public void abandon(String why) {
            release();
        }

        private void release() {
            manifestBudget.addAndGet(reserved);
            reserved = 0;
        }
    }
}
