package dev.berth.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IptablesTest {

    @Test
    void findsExactlyTheRulesOfOneTagInIptablesSavesListing() {
        String listing = """
                *nat
                :BERTH - [0:0]
                -A OUTPUT -m addrtype --dst-type LOCAL -j BERTH
                -A BERTH -d 127.0.0.1/32 -p tcp -m tcp --dport 8080 -m comment --comment "berth:0123456789ab" -j DNAT --to-destination 10.77.0.2:80
                -A BERTH -p udp -m udp --dport 53 -m comment --comment berth:0123456789ab -j DNAT --to-destination 10.77.0.2:53
                -A BERTH -p tcp -m tcp --dport 8081 -m comment --comment "berth:0123456789abc" -j DNAT --to-destination 10.77.0.3:80
                COMMIT
                """;
        List<List<String>> rules = Iptables.tagged(listing, "berth:0123456789ab");
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0)).containsExactly("BERTH", "-d", "127.0.0.1/32", "-p", "tcp", "-m", "tcp", "--dport", "8080",
                "-m", "comment", "--comment", "berth:0123456789ab", "-j", "DNAT", "--to-destination", "10.77.0.2:80");
        assertThat(rules.get(1)).contains("53");
    }
}
