package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who may call {@code DELETE /api/v1/repositories/NAME} with access control on: an administrator
 * of the repository's namespace or of the registry, with HTTP Basic as on /v2; no one else.
 */
class RepositoryDeleteAccessIT extends TokenModeIntegrationTest {

    @Test
    void onlyAdministratorsOfTheNamespaceOrTheRegistryDeleteARepository() {
        Http client = Http.fresh(port);
        String owner = newUser("owner");
        String writer = newUser("writer");
        String org = unique("delorg");
        namespaces.createOrganization(org, id(owner));
        namespaces.setMember(org, id(writer), Role.WRITE);
        String ownerAuth = Http.basic(owner, password(owner));
        String writerAuth = Http.basic(writer, password(writer));
        String repo = org + "/app";
        pushImage(client, writerAuth, repo, "v1");

        Http.Answer anonymous = delete(client, repo, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic");
        assertThat(anonymous.json().get("error").asText()).contains("authentication required");
        assertThat(delete(client, repo, Http.basic(owner, "wrong-password")).status()).isEqualTo(401);
        Http.Answer writerRefused = delete(client, repo, writerAuth);
        assertThat(writerRefused.status()).isEqualTo(403);
        assertThat(writerRefused.json().get("error").asText()).contains("only administrators of namespace " + org);
        assertThat(client.get("/v2/" + repo + "/manifests/v1", writerAuth).status()).as("still there").isEqualTo(200);

        assertThat(delete(client, repo, ownerAuth).status()).isEqualTo(204);
        assertThat(client.get("/v2/" + repo + "/tags/list", ownerAuth).status()).isEqualTo(404);
        assertThat(delete(client, org + "/never-pushed", Http.basic("admin", ADMIN_PASSWORD)).status()).isEqualTo(404);
        assertThat(audit.recent(null, 50)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.REPOSITORY_DELETE.stored());
            assertThat(e.target()).isEqualTo("repository " + repo);
            assertThat(e.actor()).isEqualTo(owner);
        });
    }

    private static Http.Answer delete(Http client, String repo, String authorization) {
        return client.send("DELETE", "/api/v1/repositories/" + repo, authorization, Map.of(), null);
    }
}
