-- Nothing to do on PostgreSQL (see the H2 migration of the same number); this keeps the version
-- numbers of both databases in step.
SELECT 1;
