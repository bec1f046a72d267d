/** Storage lifecycle: online garbage collection (the review queue and the workers that take due reviews) and the consistency check of blobs against metadata ({@code berth fsck}). */
package dev.berth.registry.gc;
