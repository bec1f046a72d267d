package dev.berth.testing;

import dev.berth.oci.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Test images made from Debian's static busybox (package busybox-static): a base layer with busybox,
 * its applet links and a small /etc, and a second layer that deletes and replaces files.
 */
public final class BusyboxImage {

    private BusyboxImage() {
    }

    public static Path busybox() {
        Path busybox = Requirements.executable("busybox", "busybox-static");
        return busybox;
    }

    public static TestLayer base() throws IOException, InterruptedException {
        Path busybox = busybox();
        Process list = new ProcessBuilder(busybox.toString(), "--list").start();
        List<String> applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(a -> !a.isBlank() && !a.equals("busybox")).toList();
        list.waitFor();
        TestLayer layer = TestLayer.create().dir("bin", 0755).file("bin/busybox", busybox, 0755);
        applets.forEach(a -> layer.symlink("bin/" + a, "busybox"));
        TarArchiveEntry home = new TarArchiveEntry("home/app/", true);
        home.setIds(1000, 1000);
        home.setMode(0755);
        return layer.dir("etc", 0755)
                .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n", 0644)
                .file("etc/group", "root:x:0:\napp:x:1000:\nstaff:x:50:app\n", 0644)
                .file("etc/motd", "base motd\n", 0644)
                .dir("var/cache", 0755).file("var/cache/old", "old", 0644)
                .dir("srv", 0755).dir("tmp", 01777).dir("root", 0700).dir("home", 0755)
                .add(home, new byte[0]);
    }

    /** Deletes /etc/motd, makes /var/cache opaque with one new file, adds /srv/hello. */
    public static TestLayer changes() {
        return TestLayer.create().dir("etc", 0755).file("etc/.wh.motd", "", 0644)
                .dir("var/cache", 0755).file("var/cache/.wh..wh..opq", "", 0644).file("var/cache/new", "new", 0644)
                .file("srv/hello", "hello from layer two\n", 0644);
    }

    /** A busybox image with an Entrypoint, Cmd, Env, WorkingDir and User. */
    public static TestImage image(MediaType layerType) throws IOException, InterruptedException {
        return TestImage.create().layer(base(), layerType).layer(changes(), layerType)
                .execution("{\"Entrypoint\":[\"/bin/sh\",\"-c\"],"
                        + "\"Cmd\":[\"echo $GREETING from $(pwd) as $(id -u):$(id -g) groups $(id -G); exit 3\"],"
                        + "\"Env\":[\"GREETING=hello\",\"PATH=/bin\"],\"WorkingDir\":\"/srv\",\"User\":\"app\"}");
    }
}
