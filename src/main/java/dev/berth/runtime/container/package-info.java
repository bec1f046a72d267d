/** One container run: bundle, root filesystem, runtime, signals and exit code, and its record. */
package dev.berth.runtime.container;
