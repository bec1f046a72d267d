package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.ui.UiSession;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Quotas set by an administrator on /admin/quotas: applied at once to pushes over /v2, shown as
 * a bar of the namespace's use, refused when the limit cannot be read, cleared again; both changes
 * in the audit log.
 */
class QuotasUiIT extends OciSpecTest {

    private static final String PAGE = "/admin/quotas";

    @Test
    void aQuotaSetInTheWebUiRefusesPushesPastItUntilItIsCleared() throws Exception {
        String ns = "qui" + Long.toString(System.nanoTime(), 36);
        UiSession admin = new UiSession(this::uri);
        registry().pushBlob(ns + "/app", OciClient.randomBytes(600));

        HttpResponse<String> set = admin.submit(PAGE, PAGE, Map.of("namespace", ns, "limit", "1000B"));

        assertThat(set.statusCode()).isEqualTo(302);
        String page = admin.get(PAGE).body();
        assertThat(page).contains("Quota set: " + ns + ": 1kB (1000 bytes).", "aria-label=\"60% of the quota used\"",
                "<td class=\"mono\">" + ns + "</td>");
        byte[] over = OciClient.randomBytes(401);
        OciClient.Response refused = registry().post("/v2/" + ns + "/app/blobs/uploads/?digest=" + OciClient.sha256(over), over,
                "Content-Type", "application/octet-stream");
        assertOciError(refused, 403, "DENIED");
        assertThat(refused.json().get("errors").get(0).get("message").asString()).isEqualTo("quota exceeded: 1001B of 1000B");

        HttpResponse<String> cleared = admin.submit(PAGE, PAGE + "/clear", Map.of("namespace", ns));

        assertThat(cleared.statusCode()).isEqualTo(302);
        assertThat(admin.get(PAGE).body()).contains("Removed the quota of " + ns + ".");
        registry().pushBlob(ns + "/app", over);
        assertThat(admin.get("/admin/audit").body()).contains("quotas.set", "quotas.clear", ns + ": 1kB (1000 bytes)");
    }

    @Test
    void aLimitThatCannotBeReadIsRefusedOnThePage() throws Exception {
        String ns = "qui" + Long.toString(System.nanoTime(), 36);
        UiSession admin = new UiSession(this::uri);

        admin.submit(PAGE, PAGE, Map.of("namespace", ns, "limit", "ten gigs"));

        assertThat(admin.get(PAGE).body()).contains("The limit is a size such as 10GB or 500MB, not ten gigs.")
                .doesNotContain("<td class=\"mono\">" + ns + "</td>");
    }
}
