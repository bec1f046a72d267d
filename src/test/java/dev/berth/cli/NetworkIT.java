package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.RunProcess.Result;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bridge networks through target/berth, as root with runc and real iptables: a published port
 * answers on the host, containers of one user network reach each other by name and those of
 * another cannot, and nothing of theirs (veths, rules, bridges) is left after rm and network rm.
 * The default network runs on a bridge and subnet of this test's own (the VM is shared).
 */
@DatabaseNeutral
class NetworkIT extends RegistryIntegrationTest {

    private static final DetachedContainers CONTAINERS = new DetachedContainers("network");
    private static final String SUFFIX = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 1_000_000));
    private static final String BRIDGE = "bt" + SUFFIX;
    private static final Map<String, String> ENV = Map.of("BERTH_DEFAULT_BRIDGE", BRIDGE,
            "BERTH_DEFAULT_SUBNET", "10." + ThreadLocalRandom.current().nextInt(200, 250) + "." + ThreadLocalRandom.current().nextInt(256) + ".0/24");
    private static String repo;

    @BeforeEach
    void prepare() throws Exception {
        repo = CONTAINERS.prepare(uri("/"), () -> uniqueName("network"));
        Requirements.executable("iptables", "iptables");
        Requirements.executable("iptables-save", "iptables");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        CONTAINERS.removeAll();
        // The default network is never removed by berth (docker keeps docker0 too): this test's goes by hand.
        if (shell("ip", "link", "show", BRIDGE).contains(BRIDGE)) {
            shell("ip", "link", "delete", BRIDGE);
        }
        for (String table : List.of("nat", "filter")) {
            for (String line : shell("iptables-save", "-t", table).lines().toList()) {
                if (line.startsWith("-A ") && line.contains("\"berth-net:" + BRIDGE + "\"")) {
                    List<String> delete = new ArrayList<>(List.of("iptables", "-w", "-t", table, "-D"));
                    delete.addAll(List.of(line.substring(3).replace("\"", "").split(" ")));
                    shell(delete.toArray(String[]::new));
                }
            }
        }
    }

    private static Result berth(String command, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(command, "--root", CONTAINERS.root().toString()));
        all.addAll(List.of(args));
        return RunProcess.command(ENV, all.toArray(String[]::new));
    }

    private static Result network(String subcommand, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("network", subcommand, "--root", CONTAINERS.root().toString()));
        all.addAll(List.of(args));
        return RunProcess.command(ENV, all.toArray(String[]::new));
    }

    private String detached(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--runtime", "runc", "-d"));
        all.addAll(List.of(args));
        all.add(all.size() - 1, "127.0.0.1:" + port + "/" + repo);
        Result r = berth("run", all.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().strip();
    }

    @Test
    void aPublishedPortAnswersOnTheHostAndItsRulesGoWithTheContainer() throws Exception {
        int hostPort = ThreadLocalRandom.current().nextInt(20_000, 30_000);
        String id = detached("--name", "web", "-u", "root", "--network", "bridge", "-p", "127.0.0.1:" + hostPort + ":80", "-p", "8080/udp",
                "mkdir -p /www && echo hello from berth > /www/index.html && exec httpd -f -p 80 -h /www");

        assertThat(httpGet(hostPort)).startsWith("HTTP/1.").contains("hello from berth");
        Result taken = berth("run", "--rm", "--network", "bridge", "-p", "127.0.0.1:" + hostPort + ":81", "127.0.0.1:" + port + "/" + repo, "true");
        assertThat(taken.exit()).isNotZero();
        assertThat(taken.err()).isEqualTo("berth: Bind for 127.0.0.1:" + hostPort + " failed: port is already allocated\n");
        Result port = berth("port", "web");
        assertThat(port.exit()).as(port.err()).isZero();
        assertThat(port.out()).startsWith("80/tcp -> 127.0.0.1:" + hostPort + "\n8080/udp -> 0.0.0.0:");
        int freePort = Integer.parseInt(port.out().lines().toList().get(1).replaceAll(".*:", ""));
        assertThat(freePort).isPositive().isNotEqualTo(hostPort);
        assertThat(berth("port", "web", "80").out()).isEqualTo("127.0.0.1:" + hostPort + "\n");
        Result missing = berth("port", "web", "81");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).isEqualTo("berth: No public port '81/tcp' published for web\n");
        assertThat(berth("ps", "--format", "{{.Ports}}").out())
                .isEqualTo("127.0.0.1:" + hostPort + "->80/tcp, 0.0.0.0:" + freePort + "->8080/udp\n");
        var inspect = tools.jackson.databind.json.JsonMapper.builder().build().readTree(berth("inspect", "web").out()).get(0);
        assertThat(inspect.path("HostConfig").path("NetworkMode").asString()).isEqualTo("bridge");
        assertThat(inspect.path("HostConfig").path("PortBindings").path("80/tcp").get(0).path("HostPort").asString())
                .isEqualTo(Integer.toString(hostPort));
        assertThat(inspect.path("NetworkSettings").path("Ports").path("8080/udp").get(0).path("HostPort").asString())
                .isEqualTo(Integer.toString(freePort));
        assertThat(inspect.path("NetworkSettings").path("Networks").path("bridge").path("IPAddress").asString()).matches("10\\.[0-9.]+");
        String hosts = berth("exec", "web", "cat", "/etc/hosts").out();
        assertThat(hosts).contains("localhost").containsPattern("10\\.[0-9.]+\t" + id.substring(0, 12));
        assertThat(shell("iptables-save")).contains("berth:" + id.substring(0, 12));
        assertThat(shell("ip", "link", "show")).contains("vb" + id.substring(0, 12));

        // Stopped, it holds nothing on the network; started again, it is back on it with the same ports.
        Result stop = berth("stop", "-t", "1", "web");
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(shell("iptables-save")).doesNotContain("berth:" + id.substring(0, 12));
        assertThat(shell("ip", "link", "show")).doesNotContain("vb" + id.substring(0, 12));
        assertThat(CONTAINERS.root().resolve("networks/bridge/leases")).isEmptyDirectory();
        Result start = berth("start", "web");
        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(httpGet(hostPort)).contains("hello from berth");

        Result rm = berth("rm", "-f", "web");
        assertThat(rm.exit()).as(rm.err()).isZero();
        assertThat(shell("iptables-save")).doesNotContain("berth:" + id.substring(0, 12));
        assertThat(shell("ip", "link", "show")).doesNotContain("vb" + id.substring(0, 12));
        assertThat(CONTAINERS.root().resolve("networks/bridge/leases")).isEmptyDirectory();
    }

    @Test
    void aForegroundRunOnTheBridgeHasAnAddressAndLeavesNothing() throws Exception {
        Result r = berth("run", "--rm", "--runtime", "runc", "--network", "bridge", "--hostname", "fg", "127.0.0.1:" + port + "/" + repo,
                "cat /etc/hosts; ip -4 -o addr show eth0; ip route");
        assertThat(r.exit()).as(r.err()).isZero();
        String address = r.out().replaceAll("(?s).*\n([0-9.]+)\tfg berth-[0-9a-f]{12}\n.*", "$1");
        assertThat(address).matches("10\\.[0-9.]+");
        assertThat(r.out()).contains("eth0    inet " + address + "/24").contains("default via ");
        assertThat(CONTAINERS.root().resolve("networks/bridge/leases")).isEmptyDirectory();
        assertThat(shell("ip", "link", "show", "master", BRIDGE)).as("veths on the bridge").isBlank();
    }

    @Test
    void badPortSpecsAreRefusedWithOneLine() throws Exception {
        for (String spec : List.of("http", "0", "70000", "1:2:3:4", "80/sctp", "300.1.1.1:80:80", "8080:")) {
            Result r = berth("run", "--network", "bridge", "-p", spec, "127.0.0.1:" + port + "/" + repo, "true");
            assertThat(r.exit()).as(spec).isNotZero();
            assertThat(r.err()).as(spec).startsWith("berth: invalid ").doesNotContain("\n\n").hasLineCount(1);
        }
        Result none = berth("run", "-p", "80", "127.0.0.1:" + port + "/" + repo, "true");
        assertThat(none.exit()).isNotZero();
        assertThat(none.err()).isEqualTo("berth: -p needs a bridge network: a container on --network none publishes no ports\n");
    }

    @Test
    void containersOfOneNetworkReachEachOtherByNameAndNoOthers() throws Exception {
        String a = "net-a-" + SUFFIX;
        String b = "net-b-" + SUFFIX;
        Result created = network("create", a);
        assertThat(created.exit()).as(created.err()).isZero();
        String idA = created.out().strip();
        assertThat(idA).matches("[0-9a-f]{64}");
        assertThat(network("create", "--subnet", "10.251." + ThreadLocalRandom.current().nextInt(256) + ".0/24", b).exit()).isZero();
        assertThat(network("create", a).err()).isEqualTo("berth: network with name " + a + " already exists\n");
        assertThat(network("ls").out()).contains(idA.substring(0, 12) + "   " + a).contains(" bridge ");

        String server = detached("--name", "srv-" + SUFFIX, "-u", "root", "--network", a,
                "mkdir /www && echo reached by name > /www/index.html && exec httpd -f -p 80 -h /www");
        detached("--name", "cli-" + SUFFIX, "--network", a, "sleep 1000");
        detached("--name", "out-" + SUFFIX, "--network", b, "sleep 1000");

        String get = "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 srv-" + SUFFIX + " 80";
        String answer = "";
        for (int i = 0; i < 50 && !answer.contains("reached by name"); i++) {
            answer = berth("exec", "cli-" + SUFFIX, "sh", "-c", get).out();
            Thread.sleep(100);
        }
        assertThat(answer).contains("reached by name");
        // The server's hosts file was rewritten in place when the client joined.
        assertThat(berth("exec", "srv-" + SUFFIX, "cat", "/etc/hosts").out()).contains("\tcli-" + SUFFIX + "\n");
        String inspect = network("inspect", a).out();
        String serverAddress = inspect.replaceAll("(?s).*\"Name\" : \"srv-" + SUFFIX + "\",\\s*\"IPv4Address\" : \"([0-9.]+)/.*", "$1");
        assertThat(serverAddress).matches("10\\.[0-9.]+");

        // Another network: neither the name resolves nor the address answers (the bridges are isolated).
        Result byName = berth("exec", "out-" + SUFFIX, "sh", "-c", get);
        assertThat(byName.exit()).isNotZero();
        Result byAddress = berth("exec", "out-" + SUFFIX, "sh", "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + serverAddress + " 80");
        assertThat(byAddress.exit()).isNotZero();
        assertThat(byAddress.out()).doesNotContain("reached by name");
        Result fromHost = berth("exec", "cli-" + SUFFIX, "sh", "-c",
                "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 " + serverAddress + " 80");
        assertThat(fromHost.out()).as("the same address from its own network").contains("reached by name");

        Result busy = network("rm", a);
        assertThat(busy.exit()).isNotZero();
        assertThat(busy.err()).startsWith("berth: error while removing network: network " + a + " id " + idA + " has active endpoints");
        String bridgeA = "br-" + idA.substring(0, 12);
        for (String c : List.of("srv-", "cli-", "out-")) {
            assertThat(berth("rm", "-f", c + SUFFIX).exit()).isZero();
        }
        assertThat(shell("iptables-save")).doesNotContain("berth:" + server.substring(0, 12));
        Result rm = network("rm", a, b);
        assertThat(rm.exit()).as(rm.err()).isZero();
        assertThat(rm.out()).isEqualTo(a + "\n" + b + "\n");
        assertThat(shell("ip", "link", "show")).doesNotContain(bridgeA);
        assertThat(shell("iptables-save")).doesNotContain(bridgeA);
        assertThat(network("ls").out()).doesNotContain(a);
    }

    @Test
    void concurrentRunsGetDistinctAddressesAndAKilledSupervisorsContainerLetsGoOnPs() throws Exception {
        String net = "net-c-" + SUFFIX;
        assertThat(network("create", net).exit()).isZero();
        List<RunProcess> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(RunProcess.start(CONTAINERS.root(), ENV, new java.io.File("/dev/null"), "--runtime", "runc", "-d",
                    "--name", "par" + i + "-" + SUFFIX, "--network", net, "127.0.0.1:" + port + "/" + repo, "sleep 1000"));
        }
        List<String> ids = new ArrayList<>();
        for (RunProcess run : runs) {
            Result r = run.finish();
            assertThat(r.exit()).as(r.err()).isZero();
            ids.add(r.out().strip());
        }
        String inspect = network("inspect", net).out();
        List<String> addresses = java.util.regex.Pattern.compile("\"IPv4Address\" : \"([0-9.]+)/").matcher(inspect).results()
                .map(m -> m.group(1)).toList();
        assertThat(addresses).hasSize(4).doesNotHaveDuplicates();
        assertThat(berth("exec", "par0-" + SUFFIX, "cat", "/etc/hosts").out()).contains("\tpar3-" + SUFFIX + "\n");

        // Its supervisor killed with -9, then the container: the next ps records the exit and takes it off the network.
        String orphan = ids.get(3);
        Path dir = CONTAINERS.root().resolve("containers").resolve(orphan);
        long supervisor = Long.parseLong(Files.readString(dir.resolve("supervisor.pid")).strip());
        ProcessHandle handle = ProcessHandle.of(supervisor).orElseThrow();
        new ProcessBuilder("kill", "-9", Long.toString(supervisor)).start().waitFor();
        handle.onExit().get(30, TimeUnit.SECONDS);
        assertThat(berth("kill", "par3-" + SUFFIX).exit()).isZero();
        String status = "";
        for (int i = 0; i < 100 && !status.contains("par3-" + SUFFIX + " Exited"); i++) {
            Thread.sleep(100);
            status = berth("ps", "-a", "--format", "{{.Names}} {{.Status}}").out();
        }
        assertThat(status).contains("par3-" + SUFFIX + " Exited");
        assertThat(shell("iptables-save")).doesNotContain("berth:" + orphan.substring(0, 12));
        assertThat(shell("ip", "link", "show")).doesNotContain("vb" + orphan.substring(0, 12));
        assertThat(network("inspect", net).out()).doesNotContain("par3-" + SUFFIX);
        assertThat(berth("exec", "par0-" + SUFFIX, "cat", "/etc/hosts").out()).doesNotContain("par3-").contains("par2-" + SUFFIX);
        for (int i = 0; i < 4; i++) {
            assertThat(berth("rm", "-f", "par" + i + "-" + SUFFIX).exit()).isZero();
        }
        assertThat(network("rm", net).exit()).isZero();
    }

    /** A GET on 127.0.0.1:port, retried while the server starts (up to 10 s). */
    private static String httpGet(int port) throws Exception {
        IOException last = null;
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                try (InputStream in = s.getInputStream()) {
                    String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    if (!answer.isEmpty()) {
                        return answer;
                    }
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nothing answered on 127.0.0.1:" + port, last);
    }

    private static String shell(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
