package dev.berth.runtime.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves {@code -u} / the image's User ({@code name|uid[:group|gid]}) the way runc's
 * {@code GetExecUser} does. The image's /etc/passwd and /etc/group are read without following
 * symlinks, so an image cannot make berth read a file of the host.
 */
final class UserResolver {

    private static final int MAX_FILE = 4 * 1024 * 1024;

    private record Passwd(String name, int uid, int gid, String home) {
    }

    private record Group(String name, int gid, List<String> members) {
    }

    private UserResolver() {
    }

    static ExecUser resolve(Path rootfs, String spec) throws IOException {
        String text = spec == null ? "" : spec.trim();
        String userPart = text;
        String groupPart = null;
        int colon = text.indexOf(':');
        if (colon >= 0) {
            userPart = text.substring(0, colon);
            groupPart = text.substring(colon + 1);
        }
        List<Passwd> passwd = lines(rootfs, "passwd").stream().map(UserResolver::passwd).flatMap(Optional::stream).toList();
        List<Group> groups = lines(rootfs, "group").stream().map(UserResolver::group).flatMap(Optional::stream).toList();
        Passwd user;
        if (userPart.isEmpty()) {
            user = passwd.stream().filter(p -> p.uid == 0).findFirst().orElse(new Passwd("root", 0, 0, "/root"));
        } else if (userPart.matches("\\d{1,10}")) {
            int uid = parseId(userPart, "user");
            user = passwd.stream().filter(p -> p.uid == uid).findFirst().orElse(new Passwd(null, uid, 0, "/"));
        } else {
            String name = userPart;
            user = passwd.stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("unable to find user " + name + ": no matching entries in the image's /etc/passwd"));
        }
        int gid = user.gid;
        if (groupPart != null && !groupPart.isEmpty()) {
            if (groupPart.matches("\\d{1,10}")) {
                gid = parseId(groupPart, "group");
            } else {
                String name = groupPart;
                gid = groups.stream().filter(g -> g.name.equals(name)).findFirst().map(Group::gid).orElseThrow(() ->
                        new IllegalArgumentException("unable to find group " + name + ": no matching entries in the image's /etc/group"));
            }
        }
        List<Integer> additional = new ArrayList<>();
        if (user.name != null) {
            for (Group g : groups) {
                if (g.members.contains(user.name) && g.gid != gid && !additional.contains(g.gid)) {
                    additional.add(g.gid);
                }
            }
        }
        return new ExecUser(user.uid, gid, additional, user.home == null || user.home.isEmpty() ? "/" : user.home);
    }

    private static int parseId(String text, String what) {
        long id = Long.parseLong(text);
        if (id > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " id " + text + " is out of range");
        }
        return (int) id;
    }

    /** The lines of {@code /etc/NAME} in the rootfs, or none when it is missing or not a plain file. */
    private static List<String> lines(Path rootfs, String name) throws IOException {
        Path etc = rootfs.resolve("etc");
        Path file = etc.resolve(name);
        if (!isPlain(etc, true) || !isPlain(file, false)) {
            return List.of();
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return new String(in.readNBytes(MAX_FILE), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static boolean isPlain(Path path, boolean directory) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return directory ? a.isDirectory() : a.isRegularFile();
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static Optional<Passwd> passwd(String line) {
        String[] f = line.split(":", -1);
        if (line.startsWith("#") || f.length < 7 || !f[2].matches("\\d{1,9}") || !f[3].matches("\\d{1,9}")) {
            return Optional.empty();
        }
        return Optional.of(new Passwd(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[5]));
    }

    private static Optional<Group> group(String line) {
        String[] f = line.split(":", -1);
        if (line.startsWith("#") || f.length < 4 || !f[2].matches("\\d{1,9}")) {
            return Optional.empty();
        }
        List<String> members = f[3].isEmpty() ? List.of() : List.of(f[3].split(","));
        return Optional.of(new Group(f[0], Integer.parseInt(f[2]), members));
    }
}
