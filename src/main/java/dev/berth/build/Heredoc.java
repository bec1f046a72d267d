package dev.berth.build;

/**
 * A here-document of RUN, COPY or ADD ({@code <<EOF} ... {@code EOF}). {@code expand} is false when
 * the delimiter was quoted ({@code <<'EOF'}, {@code <<"EOF"}); with {@code <<-EOF} the leading tabs
 * of each line are already stripped from {@code content}, which ends with a newline unless empty.
 * {@code fd} is the file descriptor written before {@code <<} ({@code 3<<EOF}), 0 when none.
 */
record Heredoc(String name, String content, boolean expand, boolean chomp, int fd) {
}
