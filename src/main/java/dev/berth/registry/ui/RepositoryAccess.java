package dev.berth.registry.ui;

import dev.berth.oci.RepositoryName;
import dev.berth.registry.auth.AccessPolicy;
import dev.berth.registry.auth.Action;
import dev.berth.registry.auth.Names;
import dev.berth.registry.auth.Namespaces;
import dev.berth.registry.auth.Role;
import dev.berth.registry.repository.RepositoryService;
import dev.berth.registry.ui.Viewers.Viewer;
import org.springframework.stereotype.Component;

/**
 * What a viewer may see and do in a repository, asked of {@link AccessPolicy} exactly as the API
 * asks. A repository the viewer may not pull is answered like one that does not exist: same status,
 * same page, same words.
 */
@Component
class RepositoryAccess {

    private final AccessPolicy policy;
    private final Namespaces namespaces;
    private final RepositoryService repositories;

    RepositoryAccess(AccessPolicy policy, Namespaces namespaces, RepositoryService repositories) {
        this.policy = policy;
        this.namespaces = namespaces;
        this.repositories = repositories;
    }

    /** The one answer for "missing" and "not yours to see". */
    static NotFoundException missing(String repository) {
        return new NotFoundException("There is no repository " + repository + ".");
    }

    /** @throws NotFoundException unless the repository exists and the viewer may pull it */
    void requirePullable(Viewer viewer, String repository) {
        if (!repositories.exists(RepositoryName.of(repository)) || !policy.mayPull(viewer.caller(), repository)) {
            throw missing(repository);
        }
    }

    boolean mayDelete(Viewer viewer, String repository) {
        return policy.allowed(viewer.caller(), repository).contains(Action.DELETE);
    }

    /** Administrators of the repository's namespace (and of the registry) set its visibility. */
    boolean mayManage(Viewer viewer, String repository) {
        if (viewer.admin()) {
            return true;
        }
        return viewer.signedIn() && namespaces.roleOf(viewer.caller().userId(), Names.namespaceOf(repository))
                .filter(r -> r == Role.ADMIN).isPresent();
    }

    /** The SQL condition that keeps a listing to what the viewer may pull. */
    AccessPolicy.PullableFilter listingFilter(Viewer viewer) {
        return policy.pullableFilter(viewer.caller(), "s.name");
    }

    /** Whether the viewer may pull every repository, so registry-wide totals tell them nothing hidden. */
    boolean seesEverything(Viewer viewer) {
        return policy.pullsEverything(viewer.caller());
    }
}
