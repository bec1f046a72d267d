/** Blob bytes on disk, content-addressed: staging, verified commits, reads, and the free-space reserve. */
package dev.berth.registry.storage;
