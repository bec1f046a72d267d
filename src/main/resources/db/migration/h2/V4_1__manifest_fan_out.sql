-- Manifests with tens of thousands of layers (issue 12, item 7).
--
-- H2 keeps a BYTEA (VARBINARY) value inside its row, so a 4 MB manifest made a 4 MB row: too big
-- for the page cache, the page holding it was read and decoded again from the file for each
-- manifest_references row that the foreign key checks against it (153 s, 64 CPU-seconds, for a
-- push of 36,000 references). A BLOB over 256 bytes lives in H2's LOB storage and the row keeps a
-- reference to it. PostgreSQL moves large BYTEA values out of the row by itself (TOAST).
ALTER TABLE manifests ALTER COLUMN content SET DATA TYPE BLOB;

-- H2 writes an identity column's next value ahead every CACHE values (32 by default), and with
-- WRITE_DELAY=0 each such write commits the whole store: a push of 36,000 references stored every
-- dirty page over a thousand times. A gap in the ids after a crash is harmless.
ALTER TABLE manifest_references ALTER COLUMN id SET CACHE 100000;
