package dev.berth.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLookupTest {

    private static final String WEB = "ab12" + "0".repeat(60);
    private static final String DB = "ab34" + "1".repeat(60);

    @TempDir
    Path root;

    private ContainerLookup lookup;

    @BeforeEach
    void twoContainers() throws Exception {
        for (String id : new String[] {WEB, DB}) {
            Files.createDirectories(root.resolve("containers").resolve(id));
        }
        Files.createDirectories(root.resolve("names"));
        Files.createSymbolicLink(root.resolve("names/web"), Path.of("../containers", WEB));
        Files.createSymbolicLink(root.resolve("names/ab34"), Path.of("../containers", WEB)); // a name that looks like DB's prefix
        lookup = new ContainerLookup(root);
    }

    @Test
    void fullIdsNamesAndUniquePrefixesResolve() throws Exception {
        assertThat(lookup.resolve(WEB)).isEqualTo(WEB);
        assertThat(lookup.resolve("web")).isEqualTo(WEB);
        assertThat(lookup.resolve("ab1")).isEqualTo(WEB);
        assertThat(lookup.resolve("ab3")).isEqualTo(DB);
        assertThat(lookup.resolve(DB)).isEqualTo(DB);
    }

    @Test
    void aNameWinsOverAnIdPrefixAsInDocker() throws Exception {
        assertThat(lookup.resolve("ab34")).isEqualTo(WEB);
    }

    @Test
    void ambiguousUnknownAndHostileInputAreOneLineErrors() {
        assertThatThrownBy(() -> lookup.resolve("ab")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("multiple containers found with provided prefix: ab");
        for (String bad : new String[] {"nope", "ffff", "", "../containers/" + WEB, "..", "web/x"}) {
            assertThatThrownBy(() -> lookup.resolve(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("No such container: " + bad);
        }
    }

    @Test
    void aNameWhoseContainerIsGoneIsUnknown() throws Exception {
        Files.createSymbolicLink(root.resolve("names/stale"), Path.of("../containers", "c".repeat(64)));
        assertThatThrownBy(() -> lookup.resolve("stale")).hasMessage("No such container: stale");
    }
}
