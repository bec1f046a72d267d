package dev.berth.registry.distribution;

import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One page of a listing ({@code /v2/_catalog}, a repository's {@code tags/list}): at most
 * {@code n} entries after {@code last}. One more is asked for, to know whether another page
 * follows; when one does, the {@code Link} header leads to it, as distribution writes it.
 *
 * @param entries the page
 * @param next    the {@code Link} header of the next page, or null on the last one
 */
record ListingPage(List<String> entries, String next) {

    /** Where the entries come from, in byte order. */
    interface Source {
        /** At most {@code limit} entries after {@code last} (null: from the first); none when {@code limit} is 0. */
        List<String> after(String last, int limit);
    }

    /**
     * @param path the listing's path, for the {@code Link} header, e.g. {@code /v2/_catalog}
     * @param n    the page size, at least 0
     */
    static ListingPage of(String path, int n, String last, Source source) {
        List<String> entries = source.after(last, n == 0 ? 0 : n + 1);
        if (n == 0 || entries.size() <= n) {
            return new ListingPage(entries.subList(0, Math.min(n, entries.size())), null);
        }
        List<String> page = entries.subList(0, n);
        return new ListingPage(page, link(path, n, page.get(n - 1)));
    }

    /** Sets the {@code Link} header when another page follows. */
    void link(HttpServletResponse response) {
        if (next != null) {
            response.setHeader("Link", next);
        }
    }

    private static String link(String path, int n, String last) {
        return "<" + path + "?n=" + n + "&last=" + URLEncoder.encode(last, StandardCharsets.UTF_8) + ">; rel=\"next\"";
    }
}
