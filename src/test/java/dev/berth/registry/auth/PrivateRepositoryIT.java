package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A private repository answers exactly like a missing one to whoever may not pull it: through
 * manifests, blobs, tags, referrers, uploads, mounts, the catalog and the token endpoint. Public
 * repositories are pulled anonymously; pushes and deletes are audited.
 */
class PrivateRepositoryIT extends TokenModeIntegrationTest {

    private static final String UPLOAD_ID = "0b9e2c1a-8f0e-4a3f-9a56-6d2f8e1c7b11";

    @Test
    void aPrivateRepositoryLooksExactlyLikeAMissingOneToOutsiders() {
        String carol = newUser("carol");
        String dave = newUser("dave");
        Http http = Http.fresh(port);
        String carolAuth = Http.basic(carol, password(carol));
        Pushed secret = pushImage(http, carolAuth, carol + "/secret", "v1");
        pushReferrer(http, carolAuth, carol + "/secret", secret);
        String hidden = carol + "/secret";
        String missing = carol + "/absent"; // as long as "secret": the answers' lengths may not differ

        Map<String, String> callers = new TreeMap<>();
        callers.put("anonymous", null);
        callers.put("dave by Basic", Http.basic(dave, password(dave)));
        callers.put("dave by token", Http.bearer(token(http, Http.basic(dave, password(dave)),
                "repository:" + hidden + ":pull,push,delete", "repository:" + missing + ":pull,push,delete")));
        callers.put("anonymous token", Http.bearer(token(http, null, "repository:" + hidden + ":pull", "repository:" + missing + ":pull")));

        List<String[]> probes = List.of(
                new String[] {"GET", "/manifests/v1"}, new String[] {"HEAD", "/manifests/v1"},
                new String[] {"GET", "/manifests/" + secret.manifest()}, new String[] {"HEAD", "/manifests/" + secret.manifest()},
                new String[] {"GET", "/blobs/" + secret.layer()}, new String[] {"HEAD", "/blobs/" + secret.layer()},
                new String[] {"GET", "/tags/list"}, new String[] {"GET", "/tags/list?n=1"},
                new String[] {"GET", "/referrers/" + secret.manifest()},
                new String[] {"POST", "/blobs/uploads/"},
                new String[] {"POST", "/blobs/uploads/?digest=" + secret.layer()},
                new String[] {"GET", "/blobs/uploads/" + UPLOAD_ID},
                new String[] {"PATCH", "/blobs/uploads/" + UPLOAD_ID},
                new String[] {"PUT", "/blobs/uploads/" + UPLOAD_ID + "?digest=" + secret.layer()},
                new String[] {"DELETE", "/blobs/uploads/" + UPLOAD_ID},
                new String[] {"PUT", "/manifests/v2"},
                new String[] {"DELETE", "/manifests/v1"}, new String[] {"DELETE", "/manifests/" + secret.manifest()},
                new String[] {"DELETE", "/blobs/" + secret.layer()});
        callers.forEach((who, authorization) -> {
            for (String[] probe : probes) {
                byte[] body = probe[0].equals("PUT") && probe[1].startsWith("/manifests") ? secret.manifestBytes() : null;
                Map<String, String> headers = body == null ? Map.of()
                        : Map.of("Content-Type", "application/vnd.oci.image.manifest.v1+json");
                Http.Answer a = http.send(probe[0], "/v2/" + hidden + probe[1], authorization, headers, body);
                Http.Answer b = http.send(probe[0], "/v2/" + missing + probe[1], authorization, headers, body);
                String what = who + ": " + probe[0] + " " + probe[1];
                assertThat(a.status()).as(what).isEqualTo(401);
                assertThat(comparable(a, hidden)).as(what).isEqualTo(comparable(b, missing));
            }
        });
        // Nothing changed: no refused request was audited, and the owner still finds everything.
        assertThat(audit.recent(null, 1000)).filteredOn(e -> e.target().startsWith(hidden) || e.target().startsWith(missing))
                .allSatisfy(e -> assertThat(e.actor()).isEqualTo(carol))
                .extracting(AuditEvent::action).containsOnly("manifest.push");
        assertThat(http.get("/v2/" + hidden + "/manifests/v1", carolAuth).status()).isEqualTo(200);
        assertThat(http.get("/v2/" + hidden + "/blobs/" + secret.layer(), carolAuth).status()).isEqualTo(200);
        // The owner may know what is missing in their own namespace.
        assertThat(http.get("/v2/" + missing + "/manifests/v1", carolAuth).errorCode()).isEqualTo("MANIFEST_UNKNOWN");
    }

    @Test
    void aMountFromARepositoryTheCallerMayNotPullStartsAPlainUpload() {
        String carol = newUser("carol");
        String dave = newUser("dave");
        Http http = Http.fresh(port);
        Pushed secret = pushImage(http, Http.basic(carol, password(carol)), carol + "/secret", "v1");
        String daveAuth = Http.basic(dave, password(dave));
        String daveToken = Http.bearer(token(http, daveAuth, "repository:" + dave + "/app:pull,push",
                "repository:" + carol + "/secret:pull", "repository:" + carol + "/absent:pull"));

        for (String authorization : List.of(daveAuth, daveToken)) {
            for (String from : List.of(carol + "/secret", carol + "/absent", "")) {
                Http.Answer mount = http.send("POST", "/v2/" + dave + "/app/blobs/uploads/?mount=" + secret.layer()
                        + (from.isEmpty() ? "" : "&from=" + from), authorization, Map.of(), null);
                assertThat(mount.status()).as("mount from '%s'", from).isEqualTo(202);
                assertThat(mount.header("Location")).startsWith("/v2/" + dave + "/app/blobs/uploads/");
                assertThat(mount.header("Docker-Content-Digest")).isNull();
            }
        }
        assertThat(http.send("HEAD", "/v2/" + dave + "/app/blobs/" + secret.layer(), daveAuth, Map.of(), null).status())
                .as("nothing was linked").isEqualTo(404);

        // With pull on the source the same mount links the blob, by Basic and by token.
        Pushed own = pushImage(http, daveAuth, dave + "/base", "v1");
        String withPull = Http.bearer(token(http, daveAuth, "repository:" + dave + "/app:pull,push", "repository:" + dave + "/base:pull"));
        for (String authorization : List.of(daveAuth, withPull)) {
            Http.Answer mounted = http.send("POST", "/v2/" + dave + "/app/blobs/uploads/?mount=" + own.layer()
                    + "&from=" + dave + "/base", authorization, Map.of(), null);
            assertThat(mounted.status()).isEqualTo(201);
            assertThat(mounted.header("Docker-Content-Digest")).isEqualTo(own.layer());
        }
    }

    @Test
    void theCatalogListsOnlyWhatTheCallerMayPullAndPagesOverThatAlone() {
        String erin = newUser("erin");
        String frank = newUser("frank");
        Http http = Http.fresh(port);
        String erinAuth = Http.basic(erin, password(erin));
        for (String name : List.of("a", "b", "c")) {
            pushImage(http, erinAuth, erin + "/" + name, "v1");
        }
        String frankAuth = Http.basic(frank, password(frank));
        pushImage(http, frankAuth, frank + "/open", "v1");
        pushImage(http, frankAuth, frank + "/closed", "v1");
        namespaces.setVisibility(frank + "/open", Visibility.PUBLIC);

        List<String> seenByErin = catalog(http, Http.bearer(token(http, erinAuth, "registry:catalog:*")), 1);
        assertThat(seenByErin).contains(erin + "/a", erin + "/b", erin + "/c", frank + "/open").doesNotContain(frank + "/closed");
        assertThat(seenByErin).isSortedAccordingTo(String::compareTo);
        assertThat(catalog(http, erinAuth, 1000)).as("Basic sees the same").isEqualTo(seenByErin);
        for (String repository : seenByErin) {
            assertThat(policy.mayPull(accounts.authenticate(erin, password(erin)).orElseThrow(), repository)).as(repository).isTrue();
        }
        List<String> seenByAdmin = catalog(http, Http.basic("admin", ADMIN_PASSWORD), 1000);
        assertThat(seenByAdmin).contains(frank + "/closed", erin + "/a");

        Http.Answer anonymous = http.get("/v2/_catalog", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).endsWith(",scope=\"registry:catalog:*\"");
    }

    @Test
    void publicRepositoriesArePulledAnonymouslyButNeverPushed() {
        String gina = newUser("gina");
        Http http = Http.fresh(port);
        Pushed open = pushImage(http, Http.basic(gina, password(gina)), gina + "/open", "v1");
        namespaces.setVisibility(gina + "/open", Visibility.PUBLIC);

        assertThat(http.get("/v2/" + gina + "/open/manifests/v1", null).status()).as("without a token").isEqualTo(200);
        String anonymous = token(http, null, "repository:" + gina + "/open:pull,push");
        assertThat(access(anonymous)).containsExactly("repository:" + gina + "/open:pull");
        Http.Answer blob = http.get("/v2/" + gina + "/open/blobs/" + open.layer(), Http.bearer(anonymous));
        assertThat(blob.status()).isEqualTo(200);
        assertThat(sha256(blob.body())).isEqualTo(open.layer());
        assertThat(http.get("/v2/" + gina + "/open/tags/list", Http.bearer(anonymous)).json().path("tags").toString()).isEqualTo("[\"v1\"]");

        Http.Answer push = http.send("POST", "/v2/" + gina + "/open/blobs/uploads/", Http.bearer(anonymous), Map.of(), null);
        assertThat(push.status()).isEqualTo(401);
        assertThat(push.header("WWW-Authenticate")).endsWith("error=\"insufficient_scope\"");
        Http.Answer noToken = http.send("DELETE", "/v2/" + gina + "/open/manifests/v1", null, Map.of(), null);
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.header("WWW-Authenticate")).endsWith(",scope=\"repository:" + gina + "/open:delete\"");
    }

    @Test
    void pushesAndDeletesAreAuditedWithWhoWhatAndFromWhere() {
        String hank = newUser("hank");
        Http http = Http.fresh(port);
        String auth = Http.bearer(token(http, Http.basic(hank, password(hank)), "repository:" + hank + "/app:pull,push,delete"));
        Pushed pushed = pushImage(http, auth, hank + "/app", "v1");
        assertThat(http.send("DELETE", "/v2/" + hank + "/app/manifests/v1", auth, Map.of(), null).status()).isEqualTo(202);
        assertThat(http.send("DELETE", "/v2/" + hank + "/app/manifests/" + pushed.manifest(), auth, Map.of(), null).status()).isEqualTo(202);
        assertThat(http.send("DELETE", "/v2/" + hank + "/app/blobs/" + pushed.layer(), auth, Map.of(), null).status()).isEqualTo(202);

        List<AuditEvent> events = new ArrayList<>(audit.recent(null, 500).stream()
                .filter(e -> e.target().startsWith(hank + "/app")).toList());
        java.util.Collections.reverse(events);
        assertThat(events).extracting(AuditEvent::action).containsExactly("manifest.push", "tag.delete", "manifest.delete", "blob.delete");
        assertThat(events).extracting(AuditEvent::target).containsExactly(hank + "/app:v1", hank + "/app:v1",
                hank + "/app@" + pushed.manifest(), hank + "/app@" + pushed.layer());
        assertThat(events).allSatisfy(e -> {
            assertThat(e.actor()).isEqualTo(hank);
            assertThat(e.clientAddress()).isEqualTo(http.address());
        });
        assertThat(events.get(0).detail()).isEqualTo(pushed.manifest());
    }

    /** Every catalog entry, following Link headers with pages of {@code n}. */
    private static List<String> catalog(Http http, String authorization, int n) {
        List<String> all = new ArrayList<>();
        String next = "/v2/_catalog?n=" + n;
        while (next != null) {
            Http.Answer page = http.get(next, authorization);
            assertThat(page.status()).as(page.text()).isEqualTo(200);
            page.json().path("repositories").forEach(r -> all.add(r.asString()));
            String link = page.header("Link");
            next = link == null ? null : link.substring(1, link.indexOf('>'));
        }
        return all;
    }

    /** Status, headers (but the request id and date) and body, with the repository name taken out. */
    private static String comparable(Http.Answer a, String name) {
        Map<String, List<String>> headers = new TreeMap<>(a.headers());
        headers.remove("x-request-id");
        headers.remove("date");
        return (a.status() + " " + headers + " " + a.text()).replace(name, "NAME");
    }

    private static void pushReferrer(Http http, String authorization, String repository, Pushed subject) {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        String emptyDigest = pushBlob(http, authorization, repository, empty);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"artifactType\":\"application/vnd.example.sbom\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
                + "\"digest\":\"" + emptyDigest + "\",\"size\":2},\"layers\":[],\"subject\":{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + subject.manifest() + "\",\"size\":"
                + subject.manifestBytes().length + "}}").getBytes(StandardCharsets.UTF_8);
        Http.Answer a = http.send("PUT", "/v2/" + repository + "/manifests/" + sha256(manifest), authorization,
                Map.of("Content-Type", "application/vnd.oci.image.manifest.v1+json"), manifest);
        assertThat(a.status()).as(a.text()).isEqualTo(201);
        Http.Answer referrers = http.get("/v2/" + repository + "/referrers/" + subject.manifest(), authorization);
        assertThat(referrers.json().path("manifests").size()).isEqualTo(1);
    }
}
