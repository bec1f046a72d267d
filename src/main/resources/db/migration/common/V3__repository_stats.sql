-- What the web UI lists per repository, kept up to date by the transactions that change it
-- (RepositoryStats), so that listing, sorting and paging 10,000 repositories reads one narrow
-- table through an index instead of aggregating tags, manifests and blob links per request.
--   size_bytes    bytes of the blobs the repository links (pushed or mounted there)
--   shared_bytes  the part of size_bytes whose blobs another repository links too
--   owned_bytes   the part of size_bytes whose blobs have this repository as their lowest-id
--                 linker: every linked blob is owned by exactly one repository, so summing
--                 owned_bytes counts each stored blob once (the registry's totals)
--   last_pushed_at  latest manifest stored or tag set that is still there
-- name is a copy of repositories.name (names never change), so each sort is one index.
CREATE TABLE repository_stats (
    repository_id   BIGINT PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
    name            VARCHAR(255) NOT NULL,
    tag_count       BIGINT DEFAULT 0 NOT NULL,
    manifest_count  BIGINT DEFAULT 0 NOT NULL,
    size_bytes      BIGINT DEFAULT 0 NOT NULL,
    shared_bytes    BIGINT DEFAULT 0 NOT NULL,
    owned_bytes     BIGINT DEFAULT 0 NOT NULL,
    last_pushed_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT repository_stats_name_unique UNIQUE (name)
);

INSERT INTO repository_stats (repository_id, name, tag_count, manifest_count, size_bytes, shared_bytes, owned_bytes, last_pushed_at)
SELECT r.id, r.name,
  (SELECT COUNT(*) FROM tags t WHERE t.repository_id = r.id),
  (SELECT COUNT(*) FROM manifests m WHERE m.repository_id = r.id),
  (SELECT COALESCE(SUM(b.size_bytes), 0) FROM blob_links l JOIN blobs b ON b.digest = l.digest WHERE l.repository_id = r.id),
  (SELECT COALESCE(SUM(b.size_bytes), 0) FROM blob_links l JOIN blobs b ON b.digest = l.digest WHERE l.repository_id = r.id
     AND EXISTS (SELECT 1 FROM blob_links o WHERE o.digest = l.digest AND o.repository_id <> r.id)),
  (SELECT COALESCE(SUM(b.size_bytes), 0) FROM blob_links l JOIN blobs b ON b.digest = l.digest WHERE l.repository_id = r.id
     AND NOT EXISTS (SELECT 1 FROM blob_links o WHERE o.digest = l.digest AND o.repository_id < r.id)),
  -- GREATEST of the two, null only when both are (H2's GREATEST is null when either is)
  GREATEST(COALESCE((SELECT MAX(m.pushed_at) FROM manifests m WHERE m.repository_id = r.id),
                    (SELECT MAX(t.updated_at) FROM tags t WHERE t.repository_id = r.id)),
           COALESCE((SELECT MAX(t.updated_at) FROM tags t WHERE t.repository_id = r.id),
                    (SELECT MAX(m.pushed_at) FROM manifests m WHERE m.repository_id = r.id)))
FROM repositories r;

-- The home page's sorts (ties by name), and the repository page's newest-tags-first order.
CREATE INDEX repository_stats_pushed ON repository_stats (last_pushed_at DESC NULLS LAST, name);
CREATE INDEX repository_stats_size ON repository_stats (size_bytes DESC, name);
CREATE INDEX tags_repository_updated ON tags (repository_id, updated_at DESC, name);
