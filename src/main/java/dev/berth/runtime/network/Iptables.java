package dev.berth.runtime.network;

import dev.berth.runtime.sys.Processes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The iptables rules berth adds, each tagged with a comment ({@code berth:<container>} or
 * {@code berth-net:<bridge>}) so that they can be found again and removed by their tag alone,
 * from {@code iptables-save}'s listing: also after the process that added them died.
 * Always {@code -w}: several berth processes may change rules at once.
 */
final class Iptables {

    static final String NAT_CHAIN = "BERTH";
    static final String ISOLATION_1 = "BERTH-ISOLATION-1";
    static final String ISOLATION_2 = "BERTH-ISOLATION-2";
    static final String FORWARD_CHAIN = "BERTH-FORWARD";

    private Iptables() {
    }

    static void append(String table, String chain, String tag, String... rule) throws IOException {
        Processes.run(command(table, "-A", chain, tag, rule));
    }

    /** Inserts the rule at the top of the chain unless it is there already. */
    static void ensureFirst(String table, String chain, String... rule) throws IOException {
        List<String> check = new ArrayList<>(List.of("iptables", "-w", "-t", table, "-C", chain));
        check.addAll(List.of(rule));
        try {
            Processes.run(check.toArray(String[]::new));
        } catch (IOException absent) {
            List<String> insert = new ArrayList<>(List.of("iptables", "-w", "-t", table, "-I", chain, "1"));
            insert.addAll(List.of(rule));
            Processes.run(insert.toArray(String[]::new));
        }
    }

    /** Creates the chain unless it exists. */
    static void ensureChain(String table, String chain) throws IOException {
        try {
            Processes.run("iptables", "-w", "-t", table, "-N", chain);
        } catch (IOException exists) {
            Processes.run("iptables", "-w", "-t", table, "-L", chain, "-n"); // it exists; anything else fails here
        }
    }

    /** The chains berth's rules live in, and the jumps into them; idempotent. */
    static void ensureChains() throws IOException {
        ensureChain("nat", NAT_CHAIN);
        ensureFirst("nat", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", NAT_CHAIN);
        ensureFirst("nat", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", NAT_CHAIN);
        ensureChain("filter", ISOLATION_2);
        ensureChain("filter", ISOLATION_1);
        ensureChain("filter", FORWARD_CHAIN);
        ensureFirst("filter", "FORWARD", "-j", FORWARD_CHAIN);
        ensureFirst("filter", "FORWARD", "-j", ISOLATION_1); // isolation first: it drops what FORWARD_CHAIN accepts
    }

    /** Removes every rule, in the nat and filter tables, whose comment is exactly {@code tag}. */
    static void removeTagged(String tag) throws IOException {
        for (String table : List.of("nat", "filter")) {
            for (List<String> rule : tagged(Processes.output("iptables-save", "-t", table), tag)) {
                List<String> delete = new ArrayList<>(List.of("iptables", "-w", "-t", table, "-D"));
                delete.addAll(rule);
                Processes.run(delete.toArray(String[]::new));
            }
        }
    }

    /** The rules of an {@code iptables-save} listing that carry the comment {@code tag}, each as "CHAIN ARG...". */
    static List<List<String>> tagged(String listing, String tag) {
        List<List<String>> rules = new ArrayList<>();
        for (String line : listing.split("\n")) {
            if (!line.startsWith("-A ")) {
                continue;
            }
            List<String> words = new ArrayList<>();
            for (String w : line.substring(3).trim().split("\\s+")) {
                words.add(w.length() > 1 && w.startsWith("\"") && w.endsWith("\"") ? w.substring(1, w.length() - 1) : w);
            }
            int comment = words.indexOf("--comment");
            if (comment > 0 && comment + 1 < words.size() && words.get(comment + 1).equals(tag)) {
                rules.add(words);
            }
        }
        return rules;
    }

    private static String[] command(String table, String op, String chain, String tag, String... rule) {
        List<String> argv = new ArrayList<>(List.of("iptables", "-w", "-t", table, op, chain));
        argv.addAll(List.of(rule));
        argv.addAll(List.of("-m", "comment", "--comment", tag));
        return argv.toArray(String[]::new);
    }
}
