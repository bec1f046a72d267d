/** Network namespaces for containers. */
package dev.berth.runtime.network;
