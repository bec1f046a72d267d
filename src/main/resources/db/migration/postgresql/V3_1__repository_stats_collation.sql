-- The home page sorts repository_stats.name in byte order, like repositories.name (V1_1).
ALTER TABLE repository_stats ALTER COLUMN name TYPE VARCHAR(255) COLLATE "C";
