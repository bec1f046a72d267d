package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.RegistryIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code berth.auth.mode=anonymous-read}: anyone pulls anything, pushing still needs signing in.
 * (The same properties as UiAnonymousReadIT, so both share one server.)
 */
@TestPropertySource(properties = {"berth.auth.mode=anonymous-read", "berth.auth.admin-password=" + TokenModeIntegrationTest.ADMIN_PASSWORD})
class AnonymousReadIT extends RegistryIntegrationTest {

    @Autowired
    Accounts accounts;

    @Test
    void anonymousCallersPullEveryRepositoryAndPushNone() {
        String owner = TokenModeIntegrationTest.unique("owner");
        accounts.createUser(owner, owner + "-password", false);
        Http http = Http.fresh(port);
        String ownerAuth = Http.basic(owner, owner + "-password");
        TokenModeIntegrationTest.Pushed pushed = TokenModeIntegrationTest.pushImage(http, ownerAuth, owner + "/private-by-default", "v1");

        assertThat(http.get("/v2/" + owner + "/private-by-default/manifests/v1", null).status()).isEqualTo(200);
        String anonymous = TokenModeIntegrationTest.token(http, null,
                "repository:" + owner + "/private-by-default:pull,push", "registry:catalog:*");
        assertThat(TokenModeIntegrationTest.access(anonymous))
                .containsExactly("repository:" + owner + "/private-by-default:pull", "registry:catalog:*");
        assertThat(http.get("/v2/" + owner + "/private-by-default/blobs/" + pushed.layer(), Http.bearer(anonymous)).status()).isEqualTo(200);
        assertThat(http.get("/v2/_catalog", null).json().path("repositories").toString()).contains(owner + "/private-by-default");
        assertThat(http.get("/v2/" + owner + "/missing/manifests/v1", null).errorCode())
                .as("everything is public, so a missing repository may say so").isEqualTo("MANIFEST_UNKNOWN");

        Http.Answer push = http.send("POST", "/v2/" + owner + "/private-by-default/blobs/uploads/", null, Map.of(), null);
        assertThat(push.status()).isEqualTo(401);
        assertThat(push.header("WWW-Authenticate")).endsWith("scope=\"repository:" + owner + "/private-by-default:pull,push\"");
        assertThat(http.send("POST", "/v2/" + owner + "/private-by-default/blobs/uploads/", Http.bearer(anonymous), Map.of(), null)
                .status()).isEqualTo(401);
        assertThat(http.get("/v2/", null).status()).as("the base still challenges, so that clients learn where to sign in")
                .isEqualTo(401);
    }
}
