package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.content.FileContentStore;
import dev.berth.layer.Entry;
import dev.berth.layer.LayerReader;
import dev.berth.layer.LayerWriter;
import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COPY and ADD layers written into a real content store and read back with the project's one layer
 * reader: names, types, modes, owners, mtimes, link targets, contents, and the digests the store
 * and the reader compute.
 */
class CopyLayerTest {

    private static final Instant BUILD = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path tmp;

    private Path context;
    private FileContentStore content;
    private StageFiles stage;

    /** One line per entry: {@code kind path mode uid:gid mtime size-or-link [content]}. */
    private record Read(List<String> entries, Digest diffId) {
    }

    @BeforeEach
    void setUp() throws IOException {
        context = Files.createDirectory(tmp.resolve("context"));
        Files.createDirectories(context.resolve("app/sub"));
        Files.writeString(context.resolve("app/run.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(context.resolve("app/run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(context.resolve("app/sub/data.txt"), "data");
        Files.setPosixFilePermissions(context.resolve("app/sub/data.txt"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(context.resolve("app/sub"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(context.resolve("app/link"), Path.of("sub/data.txt"));
        for (String p : List.of("app/run.sh", "app/sub/data.txt", "app/sub")) {
            Files.setLastModifiedTime(context.resolve(p), FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        }
        content = new FileContentStore(Files.createDirectory(tmp.resolve("store")));
        Path base = Files.createDirectories(tmp.resolve("base/etc"));
        Files.writeString(base.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1234:99:app:/home/app:/bin/sh\n");
        Files.writeString(base.resolve("group"), "root:x:0:\nstaff:x:50:app\n");
        Files.createDirectories(tmp.resolve("base/opt"));
        Files.setPosixFilePermissions(tmp.resolve("base/opt"), PosixFilePermissions.fromString("rwxrwxr-x"));
        Files.setLastModifiedTime(tmp.resolve("base/opt"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        stage = new StageFiles(List.of(tmp.resolve("base")));
    }

    @Test
    void aDirectoryCopiedWithItsModesAsRootWithItsParentsBeforeIt() throws IOException {
        Read r = copy(List.of("app"), "/opt/app/", Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(r.entries()).containsExactly(
                "DIRECTORY opt 775 0:0 2001-01-01T00:00:00Z",
                "DIRECTORY opt/app 755 0:0 " + BUILD,
                "SYMLINK opt/app/link 777 0:0 " + mtime("app/link") + " -> sub/data.txt",
                "FILE opt/app/run.sh 750 0:0 2030-01-01T00:00:00Z 18 #!/bin/sh\\necho hi\\n",
                "DIRECTORY opt/app/sub 755 0:0 2030-01-01T00:00:00Z",
                "FILE opt/app/sub/data.txt 644 0:0 2030-01-01T00:00:00Z 4 data");
    }

    @Test
    void chownByNameChmodAndSourceDateEpochClampTheEntries() throws IOException {
        Instant epoch = Instant.parse("2020-05-05T00:00:00Z");

        Read r = copy(List.of("app/run.sh", "app/sub/data.txt"), "/srv/", Optional.of("app:staff"), Optional.of("0600"),
                Optional.of(epoch));

        assertThat(r.entries()).containsExactly(
                "DIRECTORY srv 755 1234:50 " + BUILD,
                "FILE srv/data.txt 600 1234:50 2020-05-05T00:00:00Z 4 data",
                "FILE srv/run.sh 600 1234:50 2020-05-05T00:00:00Z 18 #!/bin/sh\\necho hi\\n");
    }

    @Test
    void aUserAloneIsAlsoTheGroupAndAnUnknownNameIsRefused() throws IOException {
        assertThat(copy(List.of("app/sub/data.txt"), "/d", Optional.of("4242"), Optional.empty(), Optional.empty()).entries())
                .containsExactly("FILE d 644 4242:4242 2030-01-01T00:00:00Z 4 data");
        assertThat(copy(List.of("app/sub/data.txt"), "/d", Optional.of("app"), Optional.empty(), Optional.empty()).entries())
                .containsExactly("FILE d 644 1234:1234 2030-01-01T00:00:00Z 4 data");
        assertThatThrownBy(() -> copy(List.of("app/sub/data.txt"), "/d", Optional.of("nobody"), Optional.empty(), Optional.empty()))
                .hasMessage("Dockerfile:7: --chown=nobody: no user nobody in the stage's /etc/passwd");
        assertThatThrownBy(() -> copy(List.of("app/sub/data.txt"), "/d", Optional.empty(), Optional.of("u+x"), Optional.empty()))
                .hasMessage("Dockerfile:7: --chmod=u+x: expected an octal mode such as 0755");
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aFifoInTheContextIsRefusedNotOpened() throws Exception {
        // Opening a FIFO for reading blocks until a writer comes: the build would hang on it.
        Path fifo = context.resolve("app/pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThatThrownBy(() -> copy(List.of("app/pipe"), "/d", Optional.empty(), Optional.empty(), Optional.empty()))
                .hasMessage("Dockerfile:7: COPY/ADD source app/pipe: not a file, directory or symbolic link; refused");
        assertThatThrownBy(() -> copy(List.of("app"), "/d", Optional.empty(), Optional.empty(), Optional.empty()))
                .hasMessageContaining("app/pipe: not a file, directory or symbolic link; refused");
    }

    @Test
    void theSameSourcesGiveTheSameBlobTwice() throws IOException {
        Instant epoch = Instant.parse("2020-05-05T00:00:00Z");
        LayerBlob.Written a = write(List.of("app"), "/x/", Optional.empty(), Optional.empty(), Optional.of(epoch));
        LayerBlob.Written b = write(List.of("app"), "/x/", Optional.empty(), Optional.empty(), Optional.of(epoch));

        assertThat(b.descriptor()).isEqualTo(a.descriptor());
        assertThat(b.diffId()).isEqualTo(a.diffId());
        assertThat(a.added()).isTrue();
        assertThat(b.added()).isFalse();
        assertThat(content.require(a.descriptor().digest()).size()).isEqualTo(a.descriptor().size());
    }

    @Test
    void addUnpacksALocalTarIntoTheDestinationKeepingItsOwners() throws IOException {
        Path archive = context.resolve("bundle.tar");
        try (OutputStream out = Files.newOutputStream(archive)) {
            LayerWriter w = new LayerWriter(out);
            FileTime t = FileTime.from(Instant.parse("2010-01-01T00:00:00Z"));
            w.directory("etc", 0711, 5, 6, t);
            byte[] conf = "k=v\n".getBytes(StandardCharsets.UTF_8);
            w.file("etc/app.conf", 0640, 7, 8, t, conf.length, new java.io.ByteArrayInputStream(conf));
            w.hardLink("etc/again.conf", "etc/app.conf", 0640, 7, 8, t);
            w.finish();
        }
        assertThat(TarSource.isArchive(archive)).isTrue();
        assertThat(TarSource.isArchive(context.resolve("app/run.sh"))).isFalse();
        Instruction.Add add = new Instruction.Add(7, List.of("bundle.tar"), "/opt", List.of(), Optional.empty(), Optional.empty(),
                Optional.empty());
        StageState s = StageState.scratch(dev.berth.oci.Platform.host());

        Read r = read(LayerBlob.write(content, TarSource.entries(archive, add, s, "Dockerfile", BUILD, Optional.empty())));

        assertThat(r.entries()).containsExactly(
                "DIRECTORY opt 755 0:0 " + BUILD,
                "DIRECTORY opt/etc 711 5:6 2010-01-01T00:00:00Z",
                "FILE opt/etc/app.conf 640 7:8 2010-01-01T00:00:00Z 4 k=v\\n",
                "HARDLINK opt/etc/again.conf 640 7:8 2010-01-01T00:00:00Z -> opt/etc/app.conf");
    }

    private Read copy(List<String> sources, String dest, Optional<String> chown, Optional<String> chmod, Optional<Instant> clamp)
            throws IOException {
        return read(write(sources, dest, chown, chmod, clamp));
    }

    private LayerBlob.Written write(List<String> sources, String dest, Optional<String> chown, Optional<String> chmod,
            Optional<Instant> clamp) throws IOException {
        List<BuildContext.Selected> selected = new BuildContext(context, DockerIgnore.NONE).select(sources, dest, "/", "Dockerfile", 7);
        return LayerBlob.write(content, CopyStep.entries(context, selected, stage, chown, chmod, BUILD, clamp, "Dockerfile", 7));
    }

    private Read read(LayerBlob.Written layer) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = content.open(layer.descriptor().digest());
             LayerReader reader = LayerReader.openHashed(in, 1 << 30, "test")) {
            for (Entry e; (e = reader.next()) != null; ) {
                String line = e.kind() + " " + e.path() + " " + Integer.toOctalString(e.mode()) + " " + e.uid() + ":" + e.gid() + " "
                        + e.mtime().toInstant();
                if (e.kind() == Entry.Kind.FILE) {
                    line += " " + e.size() + " " + new String(reader.content().readAllBytes(), StandardCharsets.UTF_8).replace("\n", "\\n");
                } else if (e.kind() == Entry.Kind.SYMLINK) {
                    line += " -> " + e.linkName();
                } else if (e.kind() == Entry.Kind.HARDLINK) {
                    line += " -> " + e.hardLinkTarget();
                }
                out.add(line);
            }
            reader.finish();
            assertThat(reader.diffId()).isEqualTo(layer.diffId());
        }
        assertThat(Digest.sha256(Files.readAllBytes(blobPath(layer.descriptor().digest())))).isEqualTo(layer.descriptor().digest());
        return new Read(out, layer.diffId());
    }

    private Path blobPath(Digest d) throws IOException {
        try (var walk = Files.walk(tmp.resolve("store"))) {
            return walk.filter(p -> p.getFileName().toString().equals(d.hex())).findFirst().orElseThrow();
        }
    }

    private Instant mtime(String path) throws IOException {
        return Instant.ofEpochSecond(Files.readAttributes(context.resolve(path), java.nio.file.attribute.BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).lastModifiedTime().toInstant().getEpochSecond());
    }
}
