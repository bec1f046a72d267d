/**
 * The content store on an S3-compatible object store ({@link dev.berth.content.s3.S3ContentStore}):
 * uploads spool on local disk and go to S3 as multipart-upload parts; blobs are objects under
 * their digest. The only package that uses the AWS SDK.
 */
package dev.berth.content.s3;
