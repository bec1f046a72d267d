-- Tag lists and the catalog are paged in byte order ("last" is exclusive), as distribution does.
-- PostgreSQL's default collation follows the locale, so the names that are paged get collation "C".
ALTER TABLE repositories ALTER COLUMN name TYPE VARCHAR(255) COLLATE "C";
ALTER TABLE tags ALTER COLUMN name TYPE VARCHAR(128) COLLATE "C";
