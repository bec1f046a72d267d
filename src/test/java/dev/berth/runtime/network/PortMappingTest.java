package dev.berth.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PortMappingTest {

    @Test
    void readsDockersThreeForms() {
        assertThat(PortMapping.parse("8080:80")).isEqualTo(new PortMapping("0.0.0.0", 8080, 80, "tcp"));
        assertThat(PortMapping.parse("127.0.0.1:8080:80/udp")).isEqualTo(new PortMapping("127.0.0.1", 8080, 80, "udp"));
        assertThat(PortMapping.parse("80")).isEqualTo(new PortMapping("0.0.0.0", 0, 80, "tcp"));
        assertThat(PortMapping.parse("127.0.0.1::80")).isEqualTo(new PortMapping("127.0.0.1", 0, 80, "tcp"));
        assertThat(PortMapping.parse("53/UDP").protocol()).isEqualTo("udp");
    }

    @Test
    void printsAsDockerDoesAndReadsBackWhatItRecords() {
        PortMapping p = new PortMapping("127.0.0.1", 8080, 80, "tcp");
        assertThat(p.display()).isEqualTo("127.0.0.1:8080->80/tcp");
        assertThat(p.containerKey()).isEqualTo("80/tcp");
        assertThat(PortMapping.parse(p.toString())).isEqualTo(p);
    }

    @Test
    void refusesBadSpecsWithTheSpecInTheMessage() {
        for (String bad : new String[] {"", "http", "0", "65536", "-1", "1:2:3:4", "80/sctp", "300.1.1.1:80:80", "8080:", "a:80", "1.2.3:80:80"}) {
            assertThatThrownBy(() -> PortMapping.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid port spec " + bad + ": ");
        }
    }
}
