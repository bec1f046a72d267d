package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PsFormatTest {

    private static final List<Map<String, String>> ROWS = List.of(
            Map.of("ID", "3f4e5a6b7c8d", "Names", "web", "Status", "Up 3 seconds", "State", "running"),
            Map.of("ID", "0123456789ab", "Names", "berth-0123456789ab", "Status", "Exited (137) 5 seconds ago", "State", "exited"));

    @Test
    void aPlainTemplateIsOneLineARowWithTheFieldsFilledIn() {
        assertThat(PsFormat.parse("{{.Names}}: {{ .State }}").render(ROWS)).isEqualTo("web: running\nberth-0123456789ab: exited\n");
    }

    @Test
    void aTableHasDockersHeadersAndAlignsAtTheTabs() {
        assertThat(PsFormat.parse("table {{.ID}}\\t{{.Names}}\\t{{.Status}}").render(ROWS)).isEqualTo(
                "CONTAINER ID   NAMES                STATUS\n"
              + "3f4e5a6b7c8d   web                  Up 3 seconds\n"
              + "0123456789ab   berth-0123456789ab   Exited (137) 5 seconds ago\n");
    }

    @Test
    void aTableWithNoTemplateListsTheIds() {
        assertThat(PsFormat.parse("table").render(ROWS)).isEqualTo("CONTAINER ID\n3f4e5a6b7c8d\n0123456789ab\n");
    }

    @Test
    void anUnknownFieldOrActionIsRefused() {
        assertThatThrownBy(() -> PsFormat.parse("{{.Nope}}")).hasMessage("template: can't evaluate field Nope in ps --format");
        assertThatThrownBy(() -> PsFormat.parse("{{json .}}")).hasMessageStartingWith("template: unsupported action {{json .}}");
    }

    @Test
    void dollarSignsAndBackslashesInAFieldAreCopiedAsTheyAre() {
        assertThat(PsFormat.parse("{{.Names}}").render(List.of(Map.of("Names", "a$1\\b")))).isEqualTo("a$1\\b\n");
    }
}
