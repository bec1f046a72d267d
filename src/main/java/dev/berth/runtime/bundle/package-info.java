/** The OCI bundle: the runtime's config.json from the image config and the run flags. */
package dev.berth.runtime.bundle;
