/** Online garbage collection: the review queue and the workers that take due reviews. */
package dev.berth.registry.gc;
