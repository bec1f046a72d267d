package dev.berth.build;

import dev.berth.layer.LayerWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The entries of one COPY (or ADD of plain files) layer: what {@link BuildContext#select} chose,
 * each with its mode from the source (or {@code --chmod}), owner 0:0 (or {@code --chown}, numeric
 * or a name from the stage's /etc/passwd and /etc/group; a user alone gives its uid as the gid too,
 * as Docker does), and its mtime clamped to {@code SOURCE_DATE_EPOCH} when that is set; and the
 * parent directories, as the stage has them, or made 0755 with the new owner. Entries are written in
 * path order, so a directory always comes before what it holds.
 */
final class CopyStep {

    /** One entry: a source on disk (null for a directory made here) and where it lands. */
    private record Item(Path source, BuildContext.Kind kind, int mode, long uid, long gid, FileTime mtime) {
    }

    private CopyStep() {
    }

    /**
     * @param created the time for directories made here (the build's, or SOURCE_DATE_EPOCH)
     * @param clamp   SOURCE_DATE_EPOCH, if set: no mtime is later
     */
    static LayerBlob.Body entries(Path sourceRoot, List<BuildContext.Selected> selected, StageFiles stage,
            Optional<String> chown, Optional<String> chmod, Instant created, Optional<Instant> clamp, String file, int line)
            throws IOException {
        long[] owner = owner(chown, stage, file, line);
        OptionalLong mode = chmod.map(m -> parseMode(m, file, line)).orElse(OptionalLong.empty());
        TreeMap<String, Item> items = new TreeMap<>();
        for (BuildContext.Selected s : selected) {
            Path source = s.contextPath().equals(".") ? sourceRoot : sourceRoot.resolve(s.contextPath());
            if (s.kind() == BuildContext.Kind.OTHER) {
                throw new DockerfileException(file, line, "COPY/ADD source " + s.contextPath()
                        + ": not a file, directory or symbolic link; refused");
            }
            Map<String, Object> a = Files.readAttributes(source, "unix:mode,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            int m = mode.isPresent() && s.kind() != BuildContext.Kind.SYMLINK ? (int) mode.getAsLong() : (Integer) a.get("mode") & 07777;
            items.put(s.target(), new Item(source, s.kind(), m, owner[0], owner[1], clamp((FileTime) a.get("lastModifiedTime"), clamp)));
        }
        for (String target : List.copyOf(items.keySet())) {
            for (String parent = parent(target); !parent.equals("/"); parent = parent(parent)) {
                if (!items.containsKey(parent)) {
                    items.put(parent, existing(stage, parent, clamp).orElse(
                            new Item(null, BuildContext.Kind.DIRECTORY, 0755, owner[0], owner[1], FileTime.from(created))));
                }
            }
        }
        return layer -> {
            for (Map.Entry<String, Item> e : items.entrySet()) {
                write(layer, e.getKey(), e.getValue());
            }
        };
    }

    private static void write(LayerWriter layer, String target, Item i) throws IOException {
        switch (i.kind()) {
            case DIRECTORY -> layer.directory(target, i.mode(), i.uid(), i.gid(), i.mtime());
            case SYMLINK -> layer.symlink(target, Files.readSymbolicLink(i.source()).toString(), i.uid(), i.gid(), i.mtime());
            case FILE -> {
                try (InputStream in = Files.newInputStream(i.source(), LinkOption.NOFOLLOW_LINKS)) {
                    layer.file(target, i.mode(), i.uid(), i.gid(), i.mtime(), Files.size(i.source()), in);
                }
            }
            default -> throw new IllegalStateException(target + ": " + i.kind());
        }
    }

    /** {@code dir} and its parents, each as the stage has it or made 0755 root-owned (ADD of an archive unpacks into it). */
    static void directoryChain(LayerWriter layer, StageFiles stage, String dir, Optional<Instant> clamp, Instant created)
            throws IOException {
        List<String> chain = new java.util.ArrayList<>();
        for (String d = dir; !d.equals("/"); d = parent(d)) {
            chain.add(0, d);
        }
        for (String d : chain) {
            Item i = existing(stage, d, clamp).orElse(new Item(null, BuildContext.Kind.DIRECTORY, 0755, 0, 0, FileTime.from(created)));
            layer.directory(d, i.mode(), i.uid(), i.gid(), i.mtime());
        }
    }

    /** A parent directory the stage already has keeps its mode, owner and mtime (clamped). */
    private static Optional<Item> existing(StageFiles stage, String path, Optional<Instant> clamp) throws IOException {
        Optional<Path> p = stage.find(path);
        if (p.isEmpty() || !Files.isDirectory(p.get(), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Map<String, Object> a = Files.readAttributes(p.get(), "unix:mode,uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        return Optional.of(new Item(null, BuildContext.Kind.DIRECTORY, (Integer) a.get("mode") & 07777,
                (Integer) a.get("uid"), (Integer) a.get("gid"), clamp((FileTime) a.get("lastModifiedTime"), clamp)));
    }

    static FileTime clamp(FileTime t, Optional<Instant> clamp) {
        return clamp.isPresent() && t.toInstant().isAfter(clamp.get()) ? FileTime.from(clamp.get()) : t;
    }

    /** {@code --chown=USER[:GROUP]}: ids, or names looked up in the stage. */
    static long[] owner(Optional<String> chown, StageFiles stage, String file, int line) {
        if (chown.isEmpty()) {
            return new long[] {0, 0};
        }
        String spec = chown.get();
        int colon = spec.indexOf(':');
        String user = colon < 0 ? spec : spec.substring(0, colon);
        String group = colon < 0 ? null : spec.substring(colon + 1);
        long uid = id(user, () -> stage.uid(user), "user", spec, file, line);
        long gid = group == null ? uid : id(group, () -> stage.gid(group), "group", spec, file, line);
        return new long[] {uid, gid};
    }

    private static long id(String name, java.util.function.Supplier<OptionalLong> byName, String what, String spec, String file, int line) {
        if (name.matches("\\d{1,10}") && Long.parseLong(name) <= 0xFFFFFFFFL) {
            return Long.parseLong(name);
        }
        return byName.get().orElseThrow(() -> new DockerfileException(file, line, "--chown=" + spec + ": no " + what + " "
                + name + " in the stage's /etc/" + (what.equals("user") ? "passwd" : "group")));
    }

    private static OptionalLong parseMode(String m, String file, int line) {
        if (!m.matches("[0-7]{1,4}")) {
            throw new DockerfileException(file, line, "--chmod=" + m + ": expected an octal mode such as 0755");
        }
        return OptionalLong.of(Long.parseLong(m, 8));
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
