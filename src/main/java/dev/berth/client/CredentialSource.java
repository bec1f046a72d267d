package dev.berth.client;

import java.util.List;
import java.util.Optional;

/** Where credentials for a registry come from: berth's own login file, docker's config, or nowhere. */
@FunctionalInterface
public interface CredentialSource {

    /** @param registry the registry as written in image references, e.g. {@code localhost:5000} or {@code docker.io} */
    Optional<Credentials> forRegistry(String registry);

    CredentialSource ANONYMOUS = registry -> Optional.empty();

    /** The first source that knows the registry wins. */
    static CredentialSource firstOf(List<CredentialSource> sources) {
        return registry -> sources.stream().map(s -> s.forRegistry(registry)).flatMap(Optional::stream).findFirst();
    }
}
