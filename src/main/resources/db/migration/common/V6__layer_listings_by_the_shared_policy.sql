-- The layer browser now reads layers with the runtime's reader and entry-path policy: a name with
-- `..` or an absolute name is refused, not resolved. Listings made before are a cache of the old
-- reading; dropping them makes each layer be read again, the first time someone opens it.
DELETE FROM layer_files;
DELETE FROM layer_file_indexes;
