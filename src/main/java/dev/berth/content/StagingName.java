package dev.berth.content;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The name of content being staged (the registry's upload id, or a random one): lower-case
 * letters, digits and {@code -}, at most 128, starting with a letter or digit. No dot, slash or
 * other separator, so a name can never reach outside the staging area of any store.
 */
public record StagingName(String value) {

    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9][a-z0-9-]{0,127}");

    public StagingName {
        if (value == null || !GRAMMAR.matcher(value).matches()) {
            throw new IllegalArgumentException("not a staging name: " + abbreviate(value));
        }
    }

    public static StagingName of(String value) {
        return new StagingName(value);
    }

    /** True when {@code value} is a staging name (a file in staging that is not one was not put there by a store). */
    public static boolean isValid(String value) {
        return value != null && GRAMMAR.matcher(value).matches();
    }

    /** The staging names of the files in {@code directory} last written before {@code cutoff} (other files are not a store's). */
    public static List<StagingName> untouchedSince(Path directory, Instant cutoff) throws IOException {
        List<StagingName> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    if (isValid(name) && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                        names.add(of(name));
                    }
                } catch (NoSuchFileException e) {
                    // committed or discarded meanwhile
                }
            }
        }
        return names;
    }

    public static StagingName random() {
        return new StagingName(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }

    private static String abbreviate(String text) {
        return text == null ? "null" : text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
