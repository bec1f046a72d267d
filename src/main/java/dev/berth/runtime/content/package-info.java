/** The runtime's local content store: blobs by digest, written to a staging directory and renamed once verified. */
package dev.berth.runtime.content;
