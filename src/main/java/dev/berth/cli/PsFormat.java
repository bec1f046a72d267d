package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ps --format}: docker's Go templates reduced to what ps users write, fields as
 * {@code {{.ID}}} (or {@code {{ .ID }}}) and literal text, with {@code \t} and {@code \n} read
 * as docker reads them; {@code table ...} adds the header and aligns the cells at the tabs.
 * Anything else in braces is refused as docker's template parser refuses an unknown field.
 */
final class PsFormat {

    /** The fields and their table headers, in docker's words. */
    static final Map<String, String> HEADERS = Map.of("ID", "CONTAINER ID", "Image", "IMAGE", "Command", "COMMAND",
            "CreatedAt", "CREATED AT", "RunningFor", "CREATED", "Ports", "PORTS", "State", "STATE", "Status", "STATUS",
            "Names", "NAMES");
    private static final Pattern ACTION = Pattern.compile("\\{\\{\\s*(.*?)\\s*}}");
    private static final Pattern FIELD = Pattern.compile("\\.([A-Za-z]+)");

    private final boolean table;
    private final String template;

    private PsFormat(boolean table, String template) {
        this.table = table;
        this.template = template;
    }

    static PsFormat parse(String format) {
        String f = format.strip();
        boolean table = f.startsWith("table");
        if (table) {
            f = f.substring("table".length()).strip();
        }
        f = f.replace("\\t", "\t").replace("\\n", "\n");
        Matcher m = ACTION.matcher(f);
        while (m.find()) {
            Matcher field = FIELD.matcher(m.group(1));
            if (!field.matches()) {
                throw new IllegalArgumentException("template: unsupported action {{" + m.group(1) + "}}: expected a field such as {{.ID}}");
            }
            if (!HEADERS.containsKey(field.group(1))) {
                throw new IllegalArgumentException("template: can't evaluate field " + field.group(1) + " in ps --format");
            }
        }
        return new PsFormat(table, table && f.isEmpty() ? "{{.ID}}" : f);
    }

    /** @param rows each row's fields by name ({@link #HEADERS}' keys) */
    String render(List<Map<String, String>> rows) {
        if (!table) {
            StringBuilder out = new StringBuilder();
            rows.forEach(r -> out.append(fill(r)).append('\n'));
            return out.toString();
        }
        List<List<String>> lines = new ArrayList<>();
        lines.add(List.of(fill(HEADERS).split("\t", -1)));
        rows.forEach(r -> lines.add(List.of(fill(r).split("\t", -1))));
        return PsTable.align(lines);
    }

    private String fill(Map<String, String> fields) {
        Matcher m = ACTION.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Matcher field = FIELD.matcher(m.group(1));
            field.matches();
            m.appendReplacement(out, Matcher.quoteReplacement(fields.getOrDefault(field.group(1), "")));
        }
        m.appendTail(out);
        return out.toString();
    }
}
