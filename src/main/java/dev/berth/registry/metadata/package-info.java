/** The registry's tables: JPA entities, Spring Data repositories and the plain SQL of the hot paths. */
package dev.berth.registry.metadata;
