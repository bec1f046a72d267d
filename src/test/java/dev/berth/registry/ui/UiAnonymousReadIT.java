package dev.berth.registry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.auth.Accounts;
import dev.berth.registry.auth.TokenModeIntegrationTest;
import dev.berth.testing.RegistryIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * berth.auth.mode=anonymous-read: anyone browses every repository; changing anything needs an
 * account. (The same properties as AnonymousReadIT, so both share one server.)
 */
@TestPropertySource(properties = {"berth.auth.mode=anonymous-read", "berth.auth.admin-password=" + TokenModeIntegrationTest.ADMIN_PASSWORD})
class UiAnonymousReadIT extends RegistryIntegrationTest {

    @Autowired
    Accounts accounts;

    @Test
    void anonymousBrowsesEverythingButManagesNothing() throws Exception {
        String id = Long.toString(System.nanoTime(), 36);
        String owner = "owner" + id;
        accounts.createUser(owner, UiAccessIT.PASSWORD, false);
        String repo = owner + "/private-by-default";
        UiPagesIT.base().as(owner, UiAccessIT.PASSWORD).push(http, this::uri, repo, "1.0");
        UiSession anonymous = new UiSession(this::uri);

        assertThat(anonymous.get("/?q=" + id).body()).contains("1 repository", repo).doesNotContain("Access control is off");
        assertThat(anonymous.get("/r/" + repo + "/-/tag/1.0").body()).contains("docker pull").doesNotContain("Delete manifest");
        assertThat(anonymous.get("/r/" + repo + "/-/tag/1.0/delete").statusCode()).isEqualTo(403);
        assertThat(anonymous.get("/account").statusCode()).isEqualTo(302);
        assertThat(anonymous.get("/admin/audit").statusCode()).isEqualTo(302);

        UiSession signedIn = new UiSession(this::uri);
        signedIn.signIn(owner, UiAccessIT.PASSWORD);
        assertThat(signedIn.get("/r/" + repo + "/-/tag/1.0").body()).contains("Delete manifest");
        assertThat(signedIn.get("/admin/audit").statusCode()).as("not an administrator").isEqualTo(403);
    }
}
