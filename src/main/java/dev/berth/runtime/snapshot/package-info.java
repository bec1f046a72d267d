/** Snapshots: one unpacked directory per layer chain, and the root filesystem a container runs on. */
package dev.berth.runtime.snapshot;
