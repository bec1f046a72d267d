package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PsTableTest {

    @Test
    void columnsAreAlignedAsDockersTabwriterAlignsThem() {
        String id = "3f4e5a6b7c8d" + "0".repeat(52);
        String table = PsTable.render(List.of(
                new PsTable.Row(id, "127.0.0.1:5000/team/smoke:1", "sleep 1000", "5 seconds ago", "Up 3 seconds", "", "web"),
                new PsTable.Row("0123456789ab", "busybox", "/bin/sh -c 'while true; do date; done'", "2 hours ago",
                        "Exited (137) 5 seconds ago", "", "berth-0123456789ab")));
        assertThat(table).isEqualTo(
                "CONTAINER ID   IMAGE                         COMMAND                  CREATED         STATUS                       PORTS     NAMES\n"
              + "3f4e5a6b7c8d   127.0.0.1:5000/team/smoke:1   \"sleep 1000\"             5 seconds ago   Up 3 seconds                           web\n"
              + "0123456789ab   busybox                       \"/bin/sh -c 'while t…\"   2 hours ago     Exited (137) 5 seconds ago             berth-0123456789ab\n");
    }

    @Test
    void anEmptyListIsTheHeaderAlone() {
        assertThat(PsTable.render(List.of()))
                .isEqualTo("CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n");
    }

    @Test
    void theCommandIsCutAtTwentyCharactersWithAnEllipsis() {
        assertThat(PsTable.ellipsis("12345678901234567890", 20)).isEqualTo("12345678901234567890");
        assertThat(PsTable.ellipsis("123456789012345678901", 20)).isEqualTo("1234567890123456789…").hasSize(20);
    }
}
