package dev.berth.registry.repository;

import dev.berth.content.ContentStore;
import dev.berth.content.StoredBlob;
import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import java.io.IOException;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Blob contents as a repository may show them: only a blob the repository links, the check a
 * blob GET on /v2 makes. Blobs are stored once for all repositories, so reading the store by
 * digest alone would let a page of one repository show what only another one holds; the web
 * UI reads blobs through here.
 */
@Service
public class LinkedBlobs {

    private final RepositoryService repositories;
    private final ContentStore store;

    LinkedBlobs(RepositoryService repositories, ContentStore store) {
        this.repositories = repositories;
        this.store = store;
    }

    /** Whether the repository links the blob (its bytes may still be missing from the store). */
    public boolean links(RepositoryName repository, Digest digest) {
        return repositories.linkedBlob(repository, digest).isPresent();
    }

    /** The stored blob, when the repository links it; empty when it does not or its bytes are not stored. */
    public Optional<StoredBlob> open(RepositoryName repository, Digest digest) throws IOException {
        return links(repository, digest) ? store.find(digest) : Optional.empty();
    }
}
