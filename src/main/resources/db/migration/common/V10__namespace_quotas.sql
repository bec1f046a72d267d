-- Storage quotas per namespace (issue 14 item 5). A namespace is a repository name's first path
-- component (the whole name when it has none), as for access control (auth.Names.namespaceOf).
--
-- namespace_usage.used_bytes: the bytes of the distinct digests that the namespace's repositories
-- reference, through a blob link (layers, configs, any blob pushed or mounted there) or a stored
-- manifest. A digest referenced by several repositories of one namespace, or by one repository
-- as a blob and a manifest, counts once. The count moves in the transactions that add or drop
-- those rows (metadata.QuotaRows, called from StatsRows.linked/unlinked and from ManifestRecords'
-- insert and delete): under the namespace's row lock, the digest's references in the namespace
-- are counted again after the change, and the size is added when that count went to 1 and taken
-- off when it went to 0. Only this one number is stored, so there is no per-digest count to drift.
CREATE TABLE namespace_usage (
    namespace   VARCHAR(255) PRIMARY KEY,
    used_bytes  BIGINT DEFAULT 0 NOT NULL
);

-- Limits administrators set in the web UI, beside those of berth.quotas (which win).
CREATE TABLE namespace_quotas (
    namespace  VARCHAR(255) PRIMARY KEY,
    max_bytes  BIGINT NOT NULL,
    set_by     VARCHAR(130) NOT NULL,
    set_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The count above looks a manifest digest up across repositories.
CREATE INDEX manifests_digest ON manifests (digest);

-- What is stored already: each namespace's distinct digests, then the namespaces holding nothing.
INSERT INTO namespace_usage (namespace, used_bytes)
SELECT d.namespace, SUM(d.size_bytes) FROM (
    SELECT DISTINCT CASE WHEN POSITION('/' IN r.name) > 0 THEN SUBSTRING(r.name FROM 1 FOR POSITION('/' IN r.name) - 1) ELSE r.name END AS namespace, c.digest, c.size_bytes FROM (
        SELECT l.repository_id, l.digest, b.size_bytes FROM blob_links l JOIN blobs b ON b.digest = l.digest
        UNION ALL
        SELECT m.repository_id, m.digest, m.size_bytes FROM manifests m
    ) c JOIN repositories r ON r.id = c.repository_id
) d GROUP BY d.namespace;

INSERT INTO namespace_usage (namespace, used_bytes)
SELECT DISTINCT CASE WHEN POSITION('/' IN r.name) > 0 THEN SUBSTRING(r.name FROM 1 FOR POSITION('/' IN r.name) - 1) ELSE r.name END, 0 FROM repositories r
WHERE NOT EXISTS (SELECT 1 FROM namespace_usage u WHERE u.namespace = CASE WHEN POSITION('/' IN r.name) > 0 THEN SUBSTRING(r.name FROM 1 FOR POSITION('/' IN r.name) - 1) ELSE r.name END);
