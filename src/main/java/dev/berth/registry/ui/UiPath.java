package dev.berth.registry.ui;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.oci.ManifestReference;

/**
 * A page under {@code /r/}: the repository name runs up to {@code /-/} (or the end), then the
 * page within it. Anything that does not parse is simply not found.
 *
 * @param page       which page: repository, tag, manifest, layer, compare
 * @param reference  the tag or digest of a tag, manifest or layer page
 * @param layer      the layer's position on a layer page
 * @param delete     whether this is the delete confirmation / action of a tag or manifest
 */
record UiPath(RepositoryName repository, Page page, ManifestReference reference, int layer, boolean delete) {

    enum Page { REPOSITORY, IMAGE, LAYER, COMPARE }

    static final String PREFIX = "/r/";

    static UiPath parse(String path) {
        if (!path.startsWith(PREFIX)) {
            throw notFound(path);
        }
        String rest = path.substring(PREFIX.length());
        int separator = rest.indexOf("/-/");
        String name = separator < 0 ? stripSlash(rest) : rest.substring(0, separator);
        if (!RepositoryName.isValid(name)) {
            throw notFound(path);
        }
        RepositoryName repository = RepositoryName.of(name);
        if (separator < 0) {
            return new UiPath(repository, Page.REPOSITORY, null, -1, false);
        }
        String[] parts = stripSlash(rest.substring(separator + 3)).split("/");
        if (parts.length == 1 && parts[0].equals("compare")) {
            return new UiPath(repository, Page.COMPARE, null, -1, false);
        }
        if (parts.length < 2) {
            throw notFound(path);
        }
        ManifestReference reference = reference(parts[0], parts[1], path);
        if (parts.length == 2) {
            return new UiPath(repository, Page.IMAGE, reference, -1, false);
        }
        if (parts.length == 3 && parts[2].equals("delete")) {
            return new UiPath(repository, Page.IMAGE, reference, -1, true);
        }
        // Up to nine digits: any layer of a manifest (36,000 layers fit in 4 MiB), and no int overflow.
        if (parts.length == 4 && parts[2].equals("layer") && parts[0].equals("manifest") && parts[3].matches("\\d{1,9}")) {
            return new UiPath(repository, Page.LAYER, reference, Integer.parseInt(parts[3]), false);
        }
        throw notFound(path);
    }

    private static ManifestReference reference(String kind, String value, String path) {
        if (kind.equals("tag") && Tag.isValid(value)) {
            return new ManifestReference.ByTag(Tag.of(value));
        }
        if (kind.equals("manifest") && Digest.looksLikeDigest(value)) {
            try {
                return new ManifestReference.ByDigest(Digest.of(value));
            } catch (RuntimeException e) {
                throw notFound(path);
            }
        }
        throw notFound(path);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static NotFoundException notFound(String path) {
        return new NotFoundException("There is no page at " + (path.length() > 200 ? path.substring(0, 200) + "…" : path) + ".");
    }
}
