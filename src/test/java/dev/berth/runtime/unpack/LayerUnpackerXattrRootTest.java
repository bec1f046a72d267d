package dev.berth.runtime.unpack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.runtime.sys.Posix;
import dev.berth.testing.PaxTar;
import dev.berth.testing.Requirements;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Setuid and setgid bits and extended attributes from PAX headers, as root: what is applied and what never is. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LayerUnpackerXattrRootTest {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    @TempDir
    Path tmp;

    private Path root;

    @BeforeEach
    void setUp() throws Exception {
        Requirements.root();
        root = Files.createDirectory(tmp.resolve("layer"));
    }

    private void unpack(byte[] tar) throws IOException {
        new LayerUnpacker(true).unpack(Digest.sha256(tar), new ByteArrayInputStream(tar), root);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    @Test
    void gnuTarsCapabilitiesSetuidAndSetgidComeOutAsInTheLayer() throws Exception {
        Path setcap = Requirements.executable("setcap", "libcap2-bin");
        Path getcap = Requirements.executable("getcap", "libcap2-bin");
        Path tar = Requirements.executable("tar", "tar");
        Path src = Files.createDirectories(tmp.resolve("src/usr/bin"));
        Path ping = Files.write(src.resolve("ping"), "not really ping".getBytes());
        run(setcap.toString(), "cap_setuid,cap_net_raw+ep", ping.toString());
        Path passwd = Files.write(src.resolve("passwd"), "setuid".getBytes());
        Files.setAttribute(passwd, "unix:uid", 0);
        Files.setPosixFilePermissions(passwd, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setAttribute(passwd, "unix:mode", 04755);
        Path chage = Files.write(src.resolve("chage"), "setgid".getBytes());
        Files.setAttribute(chage, "unix:gid", 42);
        Files.setAttribute(chage, "unix:mode", 02755);
        Path layer = tmp.resolve("layer.tar");
        run(tar.toString(), "--xattrs", "--xattrs-include=*", "--format=pax", "-cf", layer.toString(), "-C", tmp.resolve("src").toString(), ".");
        byte[] capability = Posix.lgetxattr(ping, "security.capability");
        assertThat(capability).as("what setcap stored").isNotNull().contains((byte) 0x80);

        unpack(Files.readAllBytes(layer));

        Path out = root.resolve("usr/bin");
        assertThat(Posix.lgetxattr(out.resolve("ping"), "security.capability")).isEqualTo(capability);
        assertThat(run(getcap.toString(), out.resolve("ping").toString())).contains("cap_setuid,cap_net_raw=ep");
        assertThat(Files.getAttribute(out.resolve("passwd"), "unix:mode", NOFOLLOW)).isEqualTo(0100000 | 04755);
        assertThat(Files.getAttribute(out.resolve("passwd"), "unix:uid", NOFOLLOW)).isEqualTo(0);
        assertThat(Files.getAttribute(out.resolve("chage"), "unix:mode", NOFOLLOW)).isEqualTo(0100000 | 02755);
        assertThat(Files.getAttribute(out.resolve("chage"), "unix:gid", NOFOLLOW)).isEqualTo(42);
    }

    @Test
    void aCapabilitySurvivesTheChownOfItsOwnEntryAndUserAttributesComeToo() throws Exception {
        byte[] cap = {0x01, 0x00, 0x00, 0x02, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] records = concat(PaxTar.record("SCHILY.xattr.security.capability", cap),
                PaxTar.record("SCHILY.xattr.user.origin", "layer".getBytes()), PaxTar.record("uid", "1000".getBytes()));
        unpack(new PaxTar().dir("bin", 0755).pax(records).file("bin/ping", "x".getBytes(), 0755)
                .pax(PaxTar.record("SCHILY.xattr.user.dir", "d".getBytes())).dir("srv", 0700).tar());

        assertThat(Files.getAttribute(root.resolve("bin/ping"), "unix:uid", NOFOLLOW)).isEqualTo(1000);
        assertThat(Posix.lgetxattr(root.resolve("bin/ping"), "security.capability")).isEqualTo(cap);
        assertThat(Posix.lgetxattr(root.resolve("bin/ping"), "user.origin")).isEqualTo("layer".getBytes());
        assertThat(Posix.lgetxattr(root.resolve("srv"), "user.dir")).isEqualTo("d".getBytes());
    }

    @Test
    void anAttributeOfASymlinkEntryIsNotSetThroughTheLink() throws Exception {
        byte[] cap = {0x01, 0x00, 0x00, 0x02, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] records = concat(PaxTar.record("SCHILY.xattr.security.capability", cap),
                PaxTar.record("SCHILY.xattr.user.through", "link".getBytes()));
        unpack(new PaxTar().file("target", "t".getBytes(), 0755).pax(records).symlink("link", "target").tar());

        assertThat(Files.isSymbolicLink(root.resolve("link"))).isTrue();
        assertThat(Posix.lgetxattr(root.resolve("target"), "security.capability")).isNull();
        assertThat(Posix.lgetxattr(root.resolve("target"), "user.through")).isNull();
    }

    @Test
    void overlayfsAndSelinuxAttributesOfALayerAreNeverApplied() throws Exception {
        byte[] records = concat(PaxTar.record("SCHILY.xattr.trusted.overlay.opaque", "y".getBytes()),
                PaxTar.record("SCHILY.xattr.trusted.overlay.redirect", "/etc".getBytes()),
                PaxTar.record("SCHILY.xattr.security.selinux", "system_u:object_r:shadow_t:s0".getBytes()));
        unpack(new PaxTar().pax(records).dir("var", 0755).pax(records).file("var/file", "f".getBytes(), 0644).tar());

        for (Path p : List.of(root.resolve("var"), root.resolve("var/file"))) {
            assertThat(Posix.lgetxattr(p, "trusted.overlay.opaque")).as(p.toString()).isNull();
            assertThat(Posix.lgetxattr(p, "trusted.overlay.redirect")).as(p.toString()).isNull();
            assertThat(Posix.lgetxattr(p, "security.selinux")).as(p.toString()).isNull();
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
