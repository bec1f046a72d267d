package dev.berth.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.build.BuildContext.Kind;
import dev.berth.build.BuildContext.Selected;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files COPY takes from a real context directory, and where they land. */
class BuildContextTest {

    @TempDir
    Path tmp;

    private BuildContext context;

    @BeforeEach
    void context() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("context"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "not yours\n");
        Files.writeString(root.resolve("a.txt"), "a");
        Files.writeString(root.resolve("b.txt"), "b");
        Files.writeString(root.resolve("c.md"), "c");
        Files.createDirectories(root.resolve("dir/sub"));
        Files.writeString(root.resolve("dir/x.txt"), "x");
        Files.writeString(root.resolve("dir/sub/y.txt"), "y");
        Files.writeString(root.resolve("dir/sub/skip.log"), "log");
        Files.createSymbolicLink(root.resolve("dir/rel"), Path.of("../a.txt"));
        Files.createSymbolicLink(root.resolve("link-out"), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("outside-dir"), outside);
        Files.writeString(root.resolve(".dockerignore"), "**/*.log\nc.md\n");
        context = new BuildContext(root, DockerIgnore.forBuild(root, root.resolve("Dockerfile")));
    }

    @Test
    void aFileToAPathOrIntoADirectory() {
        assertEquals(List.of(new Selected("a.txt", "/dest", Kind.FILE)), select(List.of("a.txt"), "/dest"));
        assertEquals(List.of(new Selected("a.txt", "/dest/a.txt", Kind.FILE)), select(List.of("a.txt"), "/dest/"));
        assertEquals(List.of(new Selected("a.txt", "/a.txt", Kind.FILE)), select(List.of("/a.txt"), "/"));
        assertEquals(List.of(new Selected("a.txt", "/work/sub/a.txt", Kind.FILE)), select(List.of("./a.txt"), "sub/"));
    }

    @Test
    void severalSourcesNeedADirectoryDestination() {
        assertEquals("Dockerfile:3: COPY/ADD with more than one source needs a destination that ends with /, got: /dest",
                refused(List.of("a.txt", "b.txt"), "/dest"));
        assertEquals(List.of(new Selected("a.txt", "/d/a.txt", Kind.FILE), new Selected("b.txt", "/d/b.txt", Kind.FILE)),
                select(List.of("a.txt", "b.txt"), "/d/"));
    }

    @Test
    void aGlobMatchingSeveralFilesCopiesIntoTheDestination() {
        assertEquals(List.of(new Selected("a.txt", "/d/a.txt", Kind.FILE), new Selected("b.txt", "/d/b.txt", Kind.FILE)),
                select(List.of("*.txt"), "/d"));
        assertEquals(List.of(new Selected("dir/sub/y.txt", "/d", Kind.FILE)), select(List.of("d?r/*/[xy].txt"), "/d"));
        assertEquals("Dockerfile:3: COPY/ADD source nomatch*: not found in the build context (or left out by .dockerignore)",
                refused(List.of("nomatch*"), "/d/"));
    }

    @Test
    void aDirectoryGivesItsContentsNotItselfAndLinksStayLinks() {
        List<Selected> expected = List.of(
                new Selected("dir/rel", "/app/rel", Kind.SYMLINK),
                new Selected("dir/sub", "/app/sub", Kind.DIRECTORY),
                new Selected("dir/sub/y.txt", "/app/sub/y.txt", Kind.FILE),
                new Selected("dir/x.txt", "/app/x.txt", Kind.FILE));
        assertEquals(expected, select(List.of("dir"), "/app"));
        assertEquals(expected, select(List.of("dir/"), "/app/"));
    }

    @Test
    void theWholeContextLessWhatIsIgnored() {
        assertEquals(List.of(".dockerignore", "a.txt", "b.txt", "dir", "dir/rel", "dir/sub", "dir/sub/y.txt", "dir/x.txt",
                "link-out", "outside-dir"), select(List.of("."), "/c/").stream().map(Selected::contextPath).toList());
    }

    @Test
    void nothingLeavesTheContext() {
        assertEquals("Dockerfile:3: COPY/ADD source ../x is outside the build context", refused(List.of("../x"), "/d/"));
        assertEquals("Dockerfile:3: COPY/ADD source dir/../../x is outside the build context", refused(List.of("dir/../../x"), "/d/"));
        assertEquals("Dockerfile:3: COPY/ADD source outside-dir/secret is outside the build context (through a symlink)",
                refused(List.of("outside-dir/secret"), "/d/"));
        assertEquals(List.of(new Selected("link-out", "/l", Kind.SYMLINK)), select(List.of("link-out"), "/l"),
                "a link to outside is copied as the link");
        assertEquals("Dockerfile:3: COPY/ADD source c.md: not found in the build context (or left out by .dockerignore)",
                refused(List.of("c.md"), "/d/"));
    }

    private List<Selected> select(List<String> sources, String dest) {
        return context.select(sources, dest, "/work", "Dockerfile", 3);
    }

    private String refused(List<String> sources, String dest) {
        return assertThrows(DockerfileException.class, () -> select(sources, dest)).getMessage();
    }
}
