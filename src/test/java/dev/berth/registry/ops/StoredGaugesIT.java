package dev.berth.registry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.MediaType;
import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.RegistryPusher;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The gauges of what is stored, scraped over HTTP around one known push (GC off: nothing goes meanwhile). */
@TestPropertySource(properties = "berth.gc.enabled=false")
class StoredGaugesIT extends RegistryIntegrationTest {

    private static final List<String> NAMES = List.of("berth_repositories", "berth_tags", "berth_manifests", "berth_blobs",
            "berth_stored_bytes");

    @Autowired
    StoredGauges gauges;

    @Test
    void onePushMovesEachGaugeByWhatItStored() throws Exception {
        gauges.expire();
        Map<String, Long> before = scrape();
        String repo = uniqueName("gauges");
        RegistryPusher pusher = new RegistryPusher(uri("/"));
        byte[] layer = new byte[12_345];
        ThreadLocalRandom.current().nextBytes(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"nonce\":" + ThreadLocalRandom.current().nextLong() + "}")
                .getBytes(StandardCharsets.UTF_8);
        Descriptor l = pusher.blob(repo, MediaType.OCI_LAYER_GZIP, layer);
        Descriptor c = pusher.blob(repo, MediaType.OCI_CONFIG, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST.value() + "\",\"config\":{\"mediaType\":\""
                + MediaType.OCI_CONFIG.value() + "\",\"digest\":\"" + c.digest() + "\",\"size\":" + c.size() + "},\"layers\":[{\"mediaType\":\""
                + MediaType.OCI_LAYER_GZIP.value() + "\",\"digest\":\"" + l.digest() + "\",\"size\":" + l.size() + "}]}";
        pusher.manifest(repo, "1.0", MediaType.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));

        assertThat(scrape()).as("cached: no query per scrape").isEqualTo(before);
        gauges.expire();
        Map<String, Long> after = scrape();

        assertThat(after.get("berth_repositories") - before.get("berth_repositories")).isEqualTo(1);
        assertThat(after.get("berth_tags") - before.get("berth_tags")).isEqualTo(1);
        assertThat(after.get("berth_manifests") - before.get("berth_manifests")).isEqualTo(1);
        assertThat(after.get("berth_blobs") - before.get("berth_blobs")).isEqualTo(2);
        assertThat(after.get("berth_stored_bytes") - before.get("berth_stored_bytes")).isEqualTo(layer.length + config.length);
    }

    private Map<String, Long> scrape() throws Exception {
        String body = http.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Long> values = new LinkedHashMap<>();
        for (String name : NAMES) {
            Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? (\\S+)$").matcher(body);
            assertThat(m.find()).as(name + " in\n" + body.lines().filter(x -> x.startsWith("berth_")).toList()).isTrue();
            values.put(name, (long) Double.parseDouble(m.group(2)));
        }
        return values;
    }
}
