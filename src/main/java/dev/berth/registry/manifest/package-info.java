/** Manifests: push, pull, delete, tag pages and referrers. */
package dev.berth.registry.manifest;
