package dev.berth.registry.distribution;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One request body read with Servlet non-blocking I/O: the container calls back when bytes have
 * arrived, they go to a {@link Sink} before the callback returns, and the answer is written once
 * the body ends. No thread waits for the client in between, so a slow client costs a connection,
 * not a thread. A body that stops (no byte for the connection timeout) or trickles (less than the
 * minimum rate over a window) is dropped. When the sink refuses bytes, the rest of the body is read
 * and thrown away as it comes and the error answered after it, so the connection stays usable; an
 * error after which Tomcat closes the connection anyway is answered at once.
 */
final class AsyncBody implements ReadListener, AsyncListener {

    /** Where the bytes go. Its methods are called one at a time, on container threads. */
    interface Sink {
        void accept(byte[] buffer, int offset, int length) throws IOException;

        /** The whole body has arrived: write the answer. */
        void end(HttpServletResponse response) throws IOException;

        /** The body will not end well: take back what was kept. Never throws. */
        void abandon(String why);
    }

    /** How slow a body may be. */
    record Pace(long minBytesPerSecond, long windowNanos) {
    }

    private static final Logger log = LoggerFactory.getLogger(AsyncBody.class);
    /** Bytes gathered before they go to the sink: the disk sees one write per 256 KiB from a fast client. */
    private static final int BUFFER_SIZE = 256 * 1024;
    /** A callback takes a buffer and gives it back before it returns, so a stalled body holds none. */
    private static final BufferPool BUFFERS = new BufferPool(BUFFER_SIZE, 16);

    private final AsyncContext async;
    private final HttpServletRequest http;
    private final HttpServletResponse response;
    /** Null when the request was refused before it was routed. */
    private final V2Request request;
    private final V2Failures failures;
    private final Pace pace;
    private final ServletInputStream in;
    /** Null once the sink has refused bytes or been abandoned: the rest of the body is thrown away. */
    private Sink sink;
    /** The refusal to answer once the body has ended. */
    private Throwable refusal;
    private long received;
    private long windowStart = System.nanoTime();
    private long receivedAtWindowStart;
    private boolean completed;

    private AsyncBody(HttpServletRequest http, V2Request request, HttpServletResponse response, Sink sink, Throwable refusal,
                      V2Failures failures, Pace pace) throws IOException {
        this.request = request;
        this.http = http;
        this.response = response;
        this.sink = sink;
        this.refusal = refusal;
        this.failures = failures;
        this.pace = pace;
        this.async = http.startAsync(http, response);
        // No limit on the whole exchange: the connection's read timeout and the minimum rate end a stalled body.
        async.setTimeout(0);
        async.addListener(this);
        this.in = http.getInputStream();
    }

    /** Starts reading the body into {@code sink}; returns at once, the answer is written when the body has ended. */
    static void read(V2Request request, HttpServletResponse response, Sink sink, V2Failures failures, Pace pace) throws IOException {
        AsyncBody body = new AsyncBody(request.http(), request, response, sink, null, failures, pace);
        body.in.setReadListener(body);
    }

    /**
     * Reads the body and drops it, then answers {@code refusal}. {@code request} is null for a
     * request refused before it was routed.
     */
    static void dropThenAnswer(HttpServletRequest http, V2Request request, HttpServletResponse response, Throwable refusal,
                               V2Failures failures, Pace pace) throws IOException {
        AsyncBody body = new AsyncBody(http, request, response, null, refusal, failures, pace);
        body.in.setReadListener(body);
    }

    @Override
    public synchronized void onDataAvailable() throws IOException {
        String previous = enterLog();
        try {
            byte[] buffer = BUFFERS.take();
            int filled = 0;
            try {
                while (!completed && in.isReady()) {
                    int n = in.read(buffer, filled, buffer.length - filled);
                    if (n < 0) {
                        break;
                    }
                    filled += n;
                    received += n;
                    if (filled == buffer.length) {
                        deliver(buffer, filled);
                        filled = 0;
                    }
                }
            } finally {
                try {
                    if (filled > 0 && !completed) {
                        deliver(buffer, filled);
                    }
                } finally {
                    BUFFERS.giveBack(buffer);
                }
            }
            checkPace();
        } finally {
            leaveLog(previous);
        }
    }

    @Override
    public synchronized void onAllDataRead() throws IOException {
        String previous = enterLog();
        try {
            if (completed) {
                return;
            }
            if (refusal != null) {
                failures.answer(http, response, request, refusal);
            } else if (sink != null) {
                Sink ending = sink;
                sink = null;
                try {
                    ending.end(response);
                } catch (IOException | RuntimeException e) {
                    failures.answer(http, response, request, e);
                }
            }
            complete();
        } finally {
            leaveLog(previous);
        }
    }

    /**
     * The container could not read the body (timeout, malformed chunks, the client left), or a
     * callback threw. The container then closes the connection and tells the listeners, where the
     * exchange is completed ({@link #onError(AsyncEvent)}): completed here, it would still be sent
     * to the error page.
     */
    @Override
    public synchronized void onError(Throwable failure) {
        String previous = enterLog();
        try {
            abandon("the body could not be read: " + failure);
            if (!completed && !response.isCommitted()) {
                if (failure instanceof TooSlow slow) {
                    failures.answerTooSlow(response, slow.getMessage());
                } else {
                    failures.answerUnreadable(response, failure);
                }
                // Written now: the container closes the connection when this returns.
                response.flushBuffer();
            }
        } catch (IOException e) {
            log.debug("could not answer an unreadable body: {}", e.toString());
        } finally {
            completed = true;
            leaveLog(previous);
        }
    }

    private void deliver(byte[] buffer, int length) throws IOException {
        if (sink == null) {
            return;
        }
        try {
            sink.accept(buffer, 0, length);
        } catch (IOException | RuntimeException e) {
            abandon("the request was refused: " + e.getMessage());
            if (failures.closesConnection(e)) {
                failures.answer(http, response, request, e);
                complete();
            } else {
                refusal = e;
            }
        }
    }

    /** Drops a body that arrives slower than the minimum rate, averaged over the window. */
    private void checkPace() throws IOException {
        long now = System.nanoTime();
        long elapsed = now - windowStart;
        if (completed || elapsed < pace.windowNanos()) {
            return;
        }
        long bytes = received - receivedAtWindowStart;
        if (bytes * 1_000_000_000.0 / elapsed < pace.minBytesPerSecond()) {
            // Thrown, so that the container closes the connection instead of reading what is left.
            throw new TooSlow("the request body arrived too slowly: " + bytes + " bytes in the last " + elapsed / 1_000_000_000
                    + " s, less than " + pace.minBytesPerSecond() + " bytes/s");
        }
        windowStart = now;
        receivedAtWindowStart = received;
    }

    private void abandon(String why) {
        if (sink != null) {
            Sink abandoned = sink;
            sink = null;
            abandoned.abandon(why);
        }
    }

    private void complete() {
        if (!completed) {
            completed = true;
            async.complete();
        }
    }

    @Override
    public synchronized void onComplete(AsyncEvent event) {
        // Whatever ended the exchange, the sink does not stay open (an upload would stay busy).
        abandon("the request ended before its body");
    }

    @Override
    public synchronized void onTimeout(AsyncEvent event) {
        abandon("the request timed out");
        complete();
    }

    @Override
    public synchronized void onError(AsyncEvent event) {
        abandon("the request failed: " + event.getThrowable());
        completed = true;
        try {
            async.complete();
        } catch (IllegalStateException e) {
            log.debug("the exchange had ended already: {}", e.toString());
        }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }

    /** Callbacks run on other threads than the request began on: they log under its request id too. */
    private String enterLog() {
        String previous = MDC.get("requestId");
        Object id = http.getAttribute("berth.requestId");
        if (id != null) {
            MDC.put("requestId", id.toString());
        }
        return previous;
    }

    private static void leaveLog(String previous) {
        if (previous == null) {
            MDC.remove("requestId");
        } else {
            MDC.put("requestId", previous);
        }
    }

    /** A body too slow to keep. */
    static final class TooSlow extends IOException {
        TooSlow(String message) {
            super(message);
        }
    }
}
