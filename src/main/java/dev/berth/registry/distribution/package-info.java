/** The /v2 API: routing, one endpoint class per resource, request bodies, and the surface's one error translator. */
package dev.berth.registry.distribution;
