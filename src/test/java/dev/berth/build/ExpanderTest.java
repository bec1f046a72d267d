package dev.berth.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Word processing as Docker's shell lexer does it, with foo=val and empty= set, unset unset. */
class ExpanderTest {

    private static final Map<String, String> ENV = Map.of("foo", "val", "empty", "");

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '^', emptyValue = "", textBlock = """
            $foo                 | val
            ${foo}_bar           | val_bar
            $foo_bar             |
            pre$foo.post         | preval.post
            \\$foo               | $foo
            \\${foo}             | ${foo}
            '$foo'               | $foo
            "$foo"               | val
            "a\\"b"              | a"b
            "a\\nb"              | a\\nb
            "it's"               | it's
            'say "hi"'           | say "hi"
            a\\ b                | a b
            ${unset:-def}        | def
            ${empty:-def}        | def
            ${empty-def}         |
            ${unset-def}         | def
            ${foo:-def}          | val
            ${foo:+alt}          | alt
            ${empty:+alt}        |
            ${empty+alt}         | alt
            ${unset+alt}         |
            ${unset:-${foo}x}    | valx
            ${unset:-"a b"}      | a b
            ${foo:?never}        | val
            $                    | $
            a$                   | a$
            $1                   |
            $$                   |
            ${foo}}              | val}
            """)
    void expandsAsDocker(String word, String expected) {
        String want = expected == null ? "" : expected.replace("\\\\", "\\");
        assertEquals(want, Expander.word(word.replace("\\\\", "\\"), '\\', ENV::get));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
            `$foo              | $foo
            \\$foo             | \\val
            "a`"b"             | a"b
            """)
    void theBacktickEscapeLeavesBackslashesAlone(String word, String expected) {
        assertEquals(expected.replace("\\\\", "\\"), Expander.word(word.replace("\\\\", "\\"), '`', ENV::get));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
            ${unset:?boom}     | unset: boom
            ${empty:?}         | empty: is not allowed to be unset or empty
            ${unset?}          | unset: is not allowed to be unset
            ${foo              | missing '}' in ${foo
            ${foo:-x           | missing '}' in ${foo:-x
            ${}                | bad substitution in ${}: expected a name after ${
            ${foo/a/b}         | unsupported modifier / in ${foo...}: expected :-, -, :+, +, :? or ?
            ${foo:0:1}         | unsupported modifier :0 in ${foo...}: expected :-, -, :+, +, :? or ?
            'abc               | unexpected end of statement while looking for matching single-quote
            "abc               | unexpected end of statement while looking for matching double-quote
            """)
    void refusesWhatItCannotExpand(String word, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> Expander.word(word, '\\', ENV::get)).getMessage());
    }

    @org.junit.jupiter.api.Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "${a:-".repeat(200_000) + "x" + "}".repeat(200_000);
        assertEquals("substitutions nested deeper than 64 in ${a...}",
                assertThrows(IllegalArgumentException.class, () -> Expander.word(deep, '\\', ENV::get)).getMessage());
        String ok = "${a:-".repeat(64) + "x" + "}".repeat(64);
        assertEquals("x", Expander.word(ok, '\\', ENV::get));
    }
}
