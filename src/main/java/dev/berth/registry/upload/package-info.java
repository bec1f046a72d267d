/** Blob uploads: sessions, chunks, streamed bodies, completion and the purge of stale uploads. */
package dev.berth.registry.upload;
