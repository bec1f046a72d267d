/** The OCI runtime (runc or crun), driven with argument lists. */
package dev.berth.runtime.oci;
