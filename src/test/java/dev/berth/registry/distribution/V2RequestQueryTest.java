package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A {@code /v2} query string, read as a form-encoded list of names and values. */
class V2RequestQueryTest {

    private static Map<String, List<String>> query(String queryString) {
        return V2Request.parseQuery(queryString);
    }

    @Test
    void noQueryHasNoParameters() {
        assertThat(query(null)).isEmpty();
        assertThat(query("")).isEmpty();
        assertThat(query("&&&")).isEmpty();
    }

    @Test
    void namesKeepTheirValuesInOrder() {
        assertThat(query("n=10&last=b")).containsExactly(Map.entry("n", List.of("10")), Map.entry("last", List.of("b")));
        assertThat(query("tag=a&tag=b&digest=x&tag=c")).containsEntry("tag", List.of("a", "b", "c")).containsEntry("digest", List.of("x"));
        assertThat(query("&n=2&&last=a&")).containsOnlyKeys("n", "last");
    }

    @Test
    void escapesAreDecodedAndAPlusIsASpace() {
        assertThat(query("mount=sha256%3Aabc&from=team%2Fapp")).containsEntry("mount", List.of("sha256:abc")).containsEntry("from", List.of("team/app"));
        assertThat(query("artifactType=application%2Fvnd.example%2Bjson")).containsEntry("artifactType", List.of("application/vnd.example+json"));
        assertThat(query("last=a+b")).containsEntry("last", List.of("a b"));
        assertThat(query("caf%C3%A9=%C3%A9")).containsEntry("café", List.of("é"));
        assertThat(query("a%3Db=c%26d")).containsEntry("a=b", List.of("c&d"));
    }

    @Test
    void aNameWithoutValueHasTheEmptyValue() {
        assertThat(query("n")).containsEntry("n", List.of(""));
        assertThat(query("n=")).containsEntry("n", List.of(""));
        assertThat(query("=x")).containsEntry("", List.of("x")).doesNotContainKey("x");
    }

    @Test
    void onlyTheFirstEqualsSignSeparates() {
        assertThat(query("a=b=c")).containsEntry("a", List.of("b=c"));
    }

    @Test
    void aMalformedEscapeIsKeptAsSent() {
        // The parameter's own check then refuses it with its code (DIGEST_INVALID, TAG_INVALID...).
        assertThat(query("digest=%zz&n=%")).containsEntry("digest", List.of("%zz")).containsEntry("n", List.of("%"));
    }
}
