-- When a manifest of a pull-through cache was last pulled (written in batches by the proxy's
-- eviction, so a pull costs no write); null until its first recorded pull. max-bytes eviction
-- takes the least recently pulled cached manifests first (pushed_at where never recorded).
ALTER TABLE manifests ADD COLUMN last_pulled_at TIMESTAMP WITH TIME ZONE;
