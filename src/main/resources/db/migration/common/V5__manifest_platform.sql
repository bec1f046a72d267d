-- The platform (os/architecture[/variant]) of an image manifest, read from its config blob, so
-- that the repository page shows it without reading blobs. NULL: not looked up yet (the
-- repository page fills it the first time it lists the manifest, for rows old and new); '': the
-- manifest names none (an artifact, an index, or a config that is missing or gives no platform).
ALTER TABLE manifests ADD COLUMN platform VARCHAR(100);
