package dev.berth.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one entry-path policy: dots and slashes cleaned, what climbs out refused, never resolved. */
class EntryPathTest {

    @Test
    void cleansDotsAndRepeatedSlashes() {
        assertThat(EntryPath.parse("./usr//bin/").components()).containsExactly("usr", "bin");
        assertThat(EntryPath.parse("./usr//bin/")).hasToString("usr/bin");
        assertThat(EntryPath.parse("a/./b/.")).hasToString("a/b");
        assertThat(EntryPath.parse("./").isRoot()).isTrue();
        assertThat(EntryPath.parse(".").isRoot()).isTrue();
        assertThat(EntryPath.parse("...").components()).containsExactly("...");
        assertThat(EntryPath.parse("a..b/..c").components()).containsExactly("a..b", "..c");
    }

    @Test
    void refusesAbsoluteNamesDotDotAndNulInsteadOfResolvingThem() {
        assertThatThrownBy(() -> EntryPath.parse("/etc/passwd")).hasMessage("absolute names are not allowed");
        assertThatThrownBy(() -> EntryPath.parse("a/../../etc/x")).hasMessage(".. climbs out of the layer root");
        assertThatThrownBy(() -> EntryPath.parse("a/../b")).hasMessage(".. climbs out of the layer root");
        assertThatThrownBy(() -> EntryPath.parse("..")).hasMessage(".. climbs out of the layer root");
        assertThatThrownBy(() -> EntryPath.parse("a\0b")).hasMessage("names cannot contain NUL");
        assertThatThrownBy(() -> EntryPath.parse("")).hasMessage("an entry needs a name");
        assertThatThrownBy(() -> EntryPath.parse(null)).hasMessage("an entry needs a name");
    }

    @Test
    void partsOfAPath() {
        EntryPath p = EntryPath.parse("usr/share/doc");

        assertThat(p.fileName()).isEqualTo("doc");
        assertThat(p.parents()).isEqualTo(List.of("usr", "share"));
        assertThat(p.parent()).hasToString("usr/share");
        assertThat(p.parent().resolve("man")).hasToString("usr/share/man");
    }
}
