/** The shared OCI model (digests, names, tags, media types, manifests, image configs, error codes), free of Spring and JPA. */
package dev.berth.oci;
