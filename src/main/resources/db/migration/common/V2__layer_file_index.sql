-- The file listing of each layer, read once from the layer blob and kept so the web UI can browse
-- layers without reading them again. Rows belong to the blob (by digest), not to a repository.

CREATE TABLE layer_file_indexes (
    layer_digest  VARCHAR(150) PRIMARY KEY,
    entry_count   BIGINT NOT NULL,
    indexed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    -- Why the blob could not be listed (not a tar, corrupt), so it is not read again; else null.
    failure       VARCHAR(500)
);

CREATE TABLE layer_files (
    layer_digest  VARCHAR(150) NOT NULL,
    ordinal       INT NOT NULL,
    path          VARCHAR(4096) NOT NULL,
    kind          VARCHAR(16) NOT NULL,
    size_bytes    BIGINT NOT NULL,
    mode          INT NOT NULL,
    uid           BIGINT NOT NULL,
    gid           BIGINT NOT NULL,
    link_target   VARCHAR(4096),
    -- First 64 bits of a regular file's SHA-256 (hex): tells changed contents of equal size apart.
    content_hash  VARCHAR(16),
    CONSTRAINT layer_files_pk PRIMARY KEY (layer_digest, ordinal)
);
