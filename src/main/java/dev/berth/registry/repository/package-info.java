/** Repositories: blob links, cross-repository mounts, the catalog and per-repository statistics. */
package dev.berth.registry.repository;
