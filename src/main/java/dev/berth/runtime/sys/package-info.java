/** System calls through JNA (mknod, xattrs, mounts, *at calls under an O_PATH descriptor) and processes. */
package dev.berth.runtime.sys;
