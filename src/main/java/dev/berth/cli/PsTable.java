package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code ps}'s table as docker prints it: the columns {@code CONTAINER ID, IMAGE, COMMAND, CREATED,
 * STATUS, PORTS, NAMES}, each as wide as its widest cell plus three spaces and at least ten (Go's
 * tabwriter with minwidth 10 and padding 3, as docker's formatter uses it), the last one not
 * padded; the command quoted and cut to 20 characters with an ellipsis, as docker does without
 * {@code --no-trunc}.
 */
final class PsTable {

    static final List<String> HEADER = List.of("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
    private static final int PADDING = 3;
    private static final int MIN_WIDTH = 10; // tabwriter.NewWriter(out, 10, 1, 3, ' ', 0), docker's formatter
    private static final int COMMAND_WIDTH = 20;

    /** One container's cells, already in docker's words ({@code dev.berth.runtime.container.ContainerStatus}). */
    record Row(String id, String image, String command, String created, String status, String ports, String names) {

        List<String> cells() {
            return List.of(id.length() > 12 ? id.substring(0, 12) : id, image, "\"" + ellipsis(command, COMMAND_WIDTH) + "\"",
                    created, status, ports, names);
        }
    }

    private PsTable() {
    }

    static String render(List<Row> rows) {
        List<List<String>> table = new ArrayList<>();
        table.add(HEADER);
        rows.forEach(r -> table.add(r.cells()));
        return align(table);
    }

    /**
     * Lines of cells aligned as Go's tabwriter aligns them: each cell but a line's last padded to
     * its column's widest such cell plus three spaces, at least ten.
     */
    static String align(List<List<String>> table) {
        int columns = table.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> line : table) {
            for (int c = 0; c < line.size() - 1; c++) {
                widths[c] = Math.max(widths[c], line.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : table) {
            for (int c = 0; c < line.size() - 1; c++) {
                out.append(line.get(c)).append(" ".repeat(Math.max(widths[c] + PADDING, MIN_WIDTH) - line.get(c).length()));
            }
            if (!line.isEmpty()) {
                out.append(line.get(line.size() - 1));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** docker's formatter.Ellipsis: at most {@code width} characters, the last one an ellipsis when cut. */
    static String ellipsis(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
