package dev.berth.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SubnetTest {

    @Test
    void gatewayFirstThenContainersUpToTheBroadcastAddress() {
        Subnet s = Subnet.parse("10.77.3.0/30");
        assertThat(s.gateway()).isEqualTo("10.77.3.1");
        assertThat(s.host(0)).contains("10.77.3.2");
        assertThat(s.host(1)).isEmpty(); // .3 is the broadcast address
        assertThat(Subnet.parse("10.77.0.0/16").host(254)).contains("10.77.1.0");
        assertThat(Subnet.parse("192.168.255.0/24").host(252)).contains("192.168.255.254");
        assertThat(Subnet.parse("192.168.255.0/24").host(253)).isEmpty();
    }

    @Test
    void overlapsAndCovering() {
        assertThat(Subnet.parse("10.78.0.0/15").overlaps(Subnet.parse("10.79.4.0/24"))).isTrue();
        assertThat(Subnet.parse("10.79.4.0/24").overlaps(Subnet.parse("10.78.0.0/15"))).isTrue();
        assertThat(Subnet.parse("10.78.1.0/24").overlaps(Subnet.parse("10.78.2.0/24"))).isFalse();
        assertThat(Subnet.covering("172.17.0.5/16")).isEqualTo(Subnet.parse("172.17.0.0/16"));
        assertThat(Subnet.parse("10.0.0.0/8").toString()).isEqualTo("10.0.0.0/8");
    }

    @Test
    void refusesWhatIsNotACidr() {
        for (String bad : new String[] {"10.0.0.0", "10.0.0.1/24", "10.0.0.0/31", "10.0.0/24", "10.0.0.256/24", "a.b.c.d/8", "10.0.0.0/x"}) {
            assertThatThrownBy(() -> Subnet.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid ");
        }
    }
}
