-- Tag lists and the catalog are paged in byte order ("last" is exclusive). H2 already compares
-- VARCHAR by code point, so there is nothing to change; this keeps the version numbers of both
-- databases in step with the PostgreSQL migration of the same number.
SELECT 1;
