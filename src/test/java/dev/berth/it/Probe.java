package dev.berth.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * One GET on a connection of its own (never a pooled one, as a load balancer's health check or a
 * new client would), answering the status code, {@code refused} when nothing listens, or
 * {@code error: ...} when a connection was taken and then not answered.
 */
final class Probe {

    private Probe() {
    }

    /** Polls with fresh connections until {@code path} answers {@code expected}: a hang detector, not a timing assert. */
    static void await(BerthProcess berth, String path, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Map<String, Integer> seen = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            String status = get(berth.port(), path);
            if (status.equals(expected)) {
                return;
            }
            seen.merge(status, 1, Integer::sum);
            Thread.sleep(250);
        }
        throw new AssertionError(path + " did not answer " + expected + " within 3 minutes; answers (times): " + seen + "\n" + berth.logTail());
    }

    static String get(int port, String path) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (statusLine == null) {
                return "error: closed without an answer";
            }
            String[] parts = statusLine.split(" ");
            return parts.length >= 2 ? parts[1] : "error: " + statusLine;
        } catch (ConnectException e) {
            return "refused";
        } catch (IOException e) {
            return "error: " + e;
        }
    }
}
