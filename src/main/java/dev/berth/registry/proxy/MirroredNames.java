package dev.berth.registry.proxy;

import dev.berth.oci.RepositoryName;
import dev.berth.registry.repository.RepositoryService;
import org.springframework.stereotype.Component;

/**
 * Names without an upstream's prefix, when one upstream is the mirror ({@code mirror: true}), as
 * docker's {@code registry-mirrors} asks for them ({@code library/busybox}). A name that is a
 * repository of this registry is its pushed content, and nothing of it comes from the mirror; any
 * other name is read from the mirror's cache under its prefix ({@code dockerhub/library/busybox}),
 * so a mirrored pull and a pull through the prefix share one cached copy. Pushes to such a name are
 * not refused: the first upload makes it a repository here, which from then on answers for the
 * whole name (until the whole repository is deleted).
 */
@Component
public class MirroredNames {

    private final Upstreams upstreams;
    private final RepositoryService repositories;

    MirroredNames(Upstreams upstreams, RepositoryService repositories) {
        this.upstreams = upstreams;
        this.repositories = repositories;
    }

    /** The repository a pull of {@code requested} reads: the mirror's cached name, or the name itself. */
    public RepositoryName forPull(RepositoryName requested) {
        return upstreams.mirrored(requested)
                // One whole source per name: a pushed repository never has tags filled in from upstream.
                .filter(cached -> !repositories.exists(requested))
                .orElse(requested);
    }
}
