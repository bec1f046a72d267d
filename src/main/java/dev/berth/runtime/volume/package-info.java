/** Named volumes under {@code ROOT/volumes}, and the mounts each container records for inspect and {@code volume rm}. */
package dev.berth.runtime.volume;
