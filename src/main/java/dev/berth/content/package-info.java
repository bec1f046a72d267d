/**
 * The one content store: blobs by digest, written through staging (stage, hash, fsync, verify,
 * rename, fsync the directory) and read by digest, for the registry and the runtime alike; its
 * filesystem implementation. Depends on {@code dev.berth.oci} and the JDK only ({@code content.s3}, the S3
 * implementation, on the AWS SDK too).
 */
package dev.berth.content;
