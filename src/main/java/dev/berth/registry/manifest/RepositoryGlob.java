package dev.berth.registry.manifest;

import dev.berth.oci.RepositoryName;
import java.util.regex.Pattern;

/**
 * A pattern of repository names in the {@code berth.*} rules, as zot writes its {@code repoNames}:
 * {@code *} is any text inside one path component, {@code **} any text across components
 * ({@code team/**} is every repository under {@code team/}, {@code **}{@code /app} every {@code app}
 * at any depth, {@code team/app} itself included for {@code team/**}{@code /app}), {@code ?} one
 * character other than {@code /}; everything else matches itself. The whole name must match.
 */
public record RepositoryGlob(String glob, Pattern pattern) {

    public static RepositoryGlob of(String glob) {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("no repository glob");
        }
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c != '*' && c != '?') {
                literal.append(c);
                continue;
            }
            if (!literal.isEmpty()) {
                regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
            }
            if (c == '?') {
                regex.append("[^/]");
            } else if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                i++;
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                    i++;
                    regex.append("(?:.*/)?"); // "**/": any number of components, none included
                } else {
                    regex.append(".*");
                }
            } else {
                regex.append("[^/]*");
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return new RepositoryGlob(glob, Pattern.compile(regex.toString()));
    }

    public boolean matches(RepositoryName name) {
        return pattern.matcher(name.value()).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
