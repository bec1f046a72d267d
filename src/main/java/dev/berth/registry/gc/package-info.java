/** Storage lifecycle: the consistency check of blobs against metadata ({@code berth fsck}). */
package dev.berth.registry.gc;
