-- As V4_1 for manifest_references: a manifest delete queues one review per layer, and H2 writes
-- an identity's next value ahead every CACHE values, each such write a commit of the whole store.
ALTER TABLE gc_reviews ALTER COLUMN id SET CACHE 100000;
