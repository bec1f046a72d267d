package dev.berth.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** .dockerignore rules as Docker's pattern matcher applies them (patterns separated by ; here). */
class DockerIgnoreTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
            *.md                          | README.md          | true
            *.md                          | docs/a.md          | false
            **/*.md                       | docs/a.md          | true
            **/*.md                       | README.md          | true
            docs                          | docs/x/y           | true
            docs                          | docsx              | false
            /build                        | build/out          | true
            ./tmp/                        | tmp/a              | true
            dir/                          | dir                | true
            *.md;!README.md               | README.md          | false
            *.md;!README.md               | CHANGES.md         | true
            !README.md;*.md               | README.md          | true
            ^# comment;;log?^             | log1               | true
            ^# comment;;log?^             | log12              | false
            ^# comment;;log?^             | # comment          | false
            ^ #notcomment^                | #notcomment        | true
            a/**/b                        | a/b                | true
            a/**/b                        | a/x/y/b            | true
            a/**/b                        | a/xb               | false
            a/**                          | a/x/y              | true
            [a-c]*.txt                    | b1.txt             | true
            [a-c]*.txt                    | d.txt              | false
            [^a]*                         | a.txt              | false
            [^a]*                         | b.txt              | true
            foo\\\\*bar                   | foo*bar            | true
            foo\\\\*bar                   | fooxbar            | false
            a.b                           | axb                | false
            node_modules;!node_modules/keep | node_modules/keep/x | false
            node_modules;!node_modules/keep | node_modules/other | true
            x/../y                        | y                  | true
            ?                             | ab                 | false
            **/**/**/x                    | a/b/x              | true
            **/**/**/x                    | x                  | true
            [-a]b                         | -b                 | true
            [a\\-c]b                      | -b                 | true
            [a\\-c]b                      | bb                 | false
            **/a/**/b                     | x/a/y/b            | true
            **/a/**/b                     | x/a/y/c            | false
            a/**/b/**                     | a/b/x              | true
            """)
    void matchesAsDocker(String lines, String path, boolean excluded) {
        DockerIgnore ignore = DockerIgnore.parse(lines.replace(";", "\n").replace("\\\\", "\\"), ".dockerignore");
        assertEquals(excluded, ignore.excludes(path), lines + " on " + path);
    }

    @Test
    void aDockerfileSpecificIgnoreFileWins(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(".dockerignore"), "a\n");
        Path dockerfile = Files.writeString(dir.resolve("app.Dockerfile"), "FROM scratch\n");
        assertEquals(true, DockerIgnore.forBuild(dir, dockerfile).excludes("a"));
        Files.writeString(dir.resolve("app.Dockerfile.dockerignore"), "\uFEFFb\n");
        DockerIgnore specific = DockerIgnore.forBuild(dir, dockerfile);
        assertEquals(false, specific.excludes("a"));
        assertEquals(true, specific.excludes("b"));
        assertEquals(false, DockerIgnore.forBuild(dir.resolve("nothing-here"), dir.resolve("Dockerfile")).excludes("a"));
    }

    @Test
    void aBadClassIsRefusedWithItsLine() {
        assertEquals(".dockerignore:2: syntax error in pattern [ab: a [ without its ]",
                assertThrows(DockerfileException.class, () -> DockerIgnore.parse("ok\n[ab\n", ".dockerignore")).getMessage());
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void separatedDoubleStarsDoNotMultiplyTheWorkEither() {
        // As a backtracking regex, each ** is one more nested choice over the path's segments.
        DockerIgnore ignore = DockerIgnore.parse("**/a/**/b/**/a/**/b/**/a/**/b/**/x\n", ".dockerignore");
        assertEquals(false, ignore.excludes("a/b/".repeat(100) + "y"));
        assertEquals(true, ignore.excludes("a/b/".repeat(100) + "x"));
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void repeatedDoubleStarsDoNotMultiplyTheWork() {
        DockerIgnore ignore = DockerIgnore.parse("**/".repeat(40) + "x\n", ".dockerignore");
        assertEquals(false, ignore.excludes("a/".repeat(60) + "y"));
    }
}
