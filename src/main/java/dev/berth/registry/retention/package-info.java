/**
 * Retention: rules per repository glob that remove old tags, on a schedule and from the admin UI,
 * through the same tag delete as /v2 and the UI (audited, immutable tags respected, GC reviews
 * queued); the blobs they leave unreferenced go with online GC (registry.gc).
 */
package dev.berth.registry.retention;
