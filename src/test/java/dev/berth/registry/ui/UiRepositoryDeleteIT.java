package dev.berth.registry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.auth.Accounts;
import dev.berth.testing.RegistryIntegrationTest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The repository page's delete form: its namespace's administrators only, and only with the name typed again. */
@TestPropertySource(properties = {"berth.auth.mode=token", "berth.auth.login-throttle.window=5s",
        "berth.auth.login-throttle.slow-after=3", "berth.auth.login-throttle.refuse-after=3", "berth.auth.login-throttle.delay=0s"})
class UiRepositoryDeleteIT extends RegistryIntegrationTest {

    private static final String PASSWORD = UiAccessIT.PASSWORD;

    @Autowired
    Accounts accounts;

    @Test
    void theOwnerDeletesARepositoryAfterTypingItsName() throws Exception {
        String id = Long.toString(System.nanoTime(), 36);
        String root = "root" + id;
        String alice = "alice" + id;
        String bob = "bob" + id;
        accounts.createUser(root, PASSWORD, true);
        accounts.createUser(alice, PASSWORD, false);
        accounts.createUser(bob, PASSWORD, false);
        String repo = alice + "/doomed-" + id;
        UiPagesIT.base().as(root, PASSWORD).push(http, this::uri, repo, "1.0");
        UiSession owner = new UiSession(this::uri);
        owner.signIn(alice, PASSWORD);
        UiSession outsider = new UiSession(this::uri);
        outsider.signIn(bob, PASSWORD);

        assertThat(owner.get("/r/" + repo).body()).contains("Delete this repository", "Type " + repo + " to confirm");
        assertThat(outsider.submit("/", "/repository-delete", Map.of("repository", repo, "confirm", repo)).statusCode())
                .as("bob may not even see it").isEqualTo(404);

        HttpResponse<String> unconfirmed = owner.submit("/r/" + repo, "/repository-delete", Map.of("repository", repo, "confirm", "doomed"));
        assertThat(owner.location(unconfirmed)).isEqualTo("/r/" + repo);
        assertThat(owner.get("/r/" + repo).body()).contains("Type the repository&#39;s name, " + repo + ", to delete it.");

        HttpResponse<String> deleted = owner.submit("/r/" + repo, "/repository-delete", Map.of("repository", repo, "confirm", repo));
        assertThat(owner.location(deleted)).isEqualTo("/");
        assertThat(owner.get("/").body()).contains("Deleted " + repo + " (1 tags, 1 manifests");
        assertThat(owner.get("/r/" + repo).statusCode()).isEqualTo(404);
        UiSession admin = new UiSession(this::uri);
        admin.signIn(root, PASSWORD);
        assertThat(admin.get("/admin/audit").body()).contains("repository.delete", "repository " + repo);
    }
}
