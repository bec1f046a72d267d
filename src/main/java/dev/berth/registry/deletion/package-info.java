/** Deleting whole repositories: the service and its API call for scripts. */
package dev.berth.registry.deletion;
