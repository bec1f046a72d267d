package dev.berth.registry.metadata;

/**
 * A push's repository was deleted between the push looking up its id and writing its rows: the
 * push's transaction rolls back, and the caller either runs it again on a fresh repository of the
 * same name or answers with an OCI error; never a foreign-key failure.
 */
public final class RepositoryGoneException extends RuntimeException {

    public RepositoryGoneException(long repositoryId) {
        super("repository #" + repositoryId + " was deleted meanwhile", null, false, false);
    }
}
