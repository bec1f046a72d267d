-- The platform (os/architecture[/variant]) of an image manifest, read from its config blob, so
-- that the repository page shows it without reading blobs. NULL: not looked up yet (the
-- repository page fills it the first time it lists the manifest, for rows old and new; it stays
-- NULL while the config blob cannot be read, and for indexes, whose platforms are in their own
-- bytes); '': the manifest names none (an artifact, or a config that gives no platform).
-- Numbered after V4_1 (the H2 manifest fan-out migration of another branch), so that it runs first.
ALTER TABLE manifests ADD COLUMN platform VARCHAR(100);
