package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A page of a listing asks for one entry more than it shows, and links to the next page when that one came. */
class ListingPageTest {

    private static final List<String> ENTRIES = List.of("a", "b", "c", "d", "e");

    /** The entries after {@code last}, at most {@code limit}, as the database answers; records each call. */
    private final List<String> asked = new ArrayList<>();

    private List<String> after(String last, int limit) {
        asked.add(last + "/" + limit);
        return ENTRIES.stream().filter(e -> last == null || e.compareTo(last) > 0).limit(limit).toList();
    }

    @Test
    void aPageWithMoreAfterItLinksToTheNext() {
        ListingPage page = ListingPage.of("/v2/_catalog", 2, null, this::after);

        assertThat(page.entries()).containsExactly("a", "b");
        assertThat(page.next()).isEqualTo("</v2/_catalog?n=2&last=b>; rel=\"next\"");
        assertThat(asked).containsExactly("null/3");
    }

    @Test
    void theNextPageStartsAfterLast() {
        ListingPage page = ListingPage.of("/v2/team/app/tags/list", 2, "b", this::after);

        assertThat(page.entries()).containsExactly("c", "d");
        assertThat(page.next()).isEqualTo("</v2/team/app/tags/list?n=2&last=d>; rel=\"next\"");
    }

    @Test
    void theLastPageHasNoLink() {
        assertThat(ListingPage.of("/v2/_catalog", 2, "c", this::after)).isEqualTo(new ListingPage(List.of("d", "e"), null));
        assertThat(ListingPage.of("/v2/_catalog", 5, null, this::after)).isEqualTo(new ListingPage(ENTRIES, null));
        assertThat(ListingPage.of("/v2/_catalog", 10, null, this::after)).isEqualTo(new ListingPage(ENTRIES, null));
        assertThat(ListingPage.of("/v2/_catalog", 2, "e", this::after)).isEqualTo(new ListingPage(List.of(), null));
    }

    @Test
    void aPageOfNoneStillAsksTheSourceAndHasNoLink() {
        // The source is asked all the same: a repository's tags must say NAME_UNKNOWN for a missing one.
        ListingPage page = ListingPage.of("/v2/_catalog", 0, null, this::after);

        assertThat(page).isEqualTo(new ListingPage(List.of(), null));
        assertThat(asked).containsExactly("null/0");
    }

    @Test
    void theLinkEncodesLast() {
        ListingPage page = ListingPage.of("/v2/_catalog", 1, null, (last, limit) -> List.of("team/a b", "team/c"));

        assertThat(page.next()).isEqualTo("</v2/_catalog?n=1&last=team%2Fa+b>; rel=\"next\"");
    }
}
