-- H2 already compares VARCHAR by code point; this keeps the version numbers of both databases
-- in step with the PostgreSQL migration of the same number.
SELECT 1;
