/**
 * The one layer reader: tar, tar+gzip and tar+zstd, OCI whiteouts and opaque directories, the
 * entry-path policy and the unpacked-size limit; the runtime unpacks with it, the UI lists with it.
 * Depends on {@code oci} only (and the JDK, commons-compress and zstd-jni).
 */
package dev.berth.layer;
