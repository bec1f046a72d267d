/**
 * The pull-through cache: upstream registries served under a name prefix of their own, their
 * manifests and blobs fetched on first pull, stored as pushed content is, and shared by every
 * client that asks while a fetch runs. The one package of the server allowed to use
 * {@code dev.berth.client} (docs/architecture.md says why).
 */
package dev.berth.registry.proxy;
