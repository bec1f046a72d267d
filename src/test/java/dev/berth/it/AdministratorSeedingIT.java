package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A client that signs in as the administrator from the moment a fresh server opens its port: no
 * attempt may find the account still missing, since that counted as a failed password and, with
 * the throttle, locked the administrator out of the server that had just created the account.
 */
class AdministratorSeedingIT {

    private static final String PASSWORD = "seeded-admin-password";

    @Test
    void aSignInAsTheServerStartsFindsTheAdministratorCreated() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        // One failure refuses the address for ten minutes: a single early 401 would show as 429s after it.
        try (BerthProcess berth = BerthProcess.launch("seeding", "-Xmx384m", "-Dberth.auth.mode=token",
                "-Dberth.auth.admin-password=" + PASSWORD, "-Dberth.auth.login-throttle.slow-after=1",
                "-Dberth.auth.login-throttle.refuse-after=1", "-Dberth.auth.login-throttle.window=10m",
                "-Dberth.auth.login-throttle.delay=0s")) {
            Map<Integer, Integer> answers = new ConcurrentHashMap<>();
            List<Thread> clients = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            for (int i = 0; i < 4; i++) {
                // Several clients, so that requests land all along the start, not once per round trip.
                Thread client = new Thread(() -> {
                    while (System.nanoTime() < deadline && !answers.containsKey(200) && !answers.containsKey(429) && berth.isAlive()) {
                        try {
                            int status = http.send(HttpRequest.newBuilder(berth.uri("/v2/")).header("Authorization", basic)
                                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                            answers.merge(status, 1, Integer::sum);
                        } catch (IOException e) {
                            pause(); // not listening yet
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                client.start();
                clients.add(client);
            }
            for (Thread client : clients) {
                client.join();
            }

            assertThat(answers).as("statuses and how often, until the first 200 or 429\n%s", berth.logTail()).containsKey(200)
                    .containsOnlyKeys(200);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
