package dev.berth.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.build.Command.Exec;
import dev.berth.build.Instruction.Add;
import dev.berth.build.Instruction.Arg;
import dev.berth.build.Instruction.ArgDeclaration;
import dev.berth.build.Instruction.Cmd;
import dev.berth.build.Instruction.Copy;
import dev.berth.build.Instruction.Entrypoint;
import dev.berth.build.Instruction.Env;
import dev.berth.build.Instruction.Expose;
import dev.berth.build.Instruction.From;
import dev.berth.build.Instruction.Healthcheck;
import dev.berth.build.Instruction.KeyValue;
import dev.berth.build.Instruction.Label;
import dev.berth.build.Instruction.Maintainer;
import dev.berth.build.Instruction.Onbuild;
import dev.berth.build.Instruction.Run;
import dev.berth.build.Instruction.StopSignal;
import dev.berth.build.Instruction.User;
import dev.berth.build.Instruction.Volume;
import dev.berth.build.Instruction.Workdir;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each Dockerfile under src/test/resources/dockerfiles/ parses into exactly these instructions. */
class DockerfileParserTest {

    private static final Optional<String> NONE = Optional.empty();

    @Test
    void everyInstructionInItsCommonForms() {
        Dockerfile d = DockerfileFixtures.parse("all-instructions.Dockerfile");
        assertEquals(List.of(
                new Arg(2, List.of(new ArgDeclaration("BASE", Optional.of("busybox")))),
                new From(3, "${BASE}:1.36", Optional.of("base"), Optional.of("linux/amd64")),
                new Maintainer(4, "Jane Doe <jane@example.com>"),
                new Run(5, shell("echo \"shell form\" && true"), NONE, List.of()),
                new Run(6, exec("/bin/echo", "exec form"), NONE, List.of()),
                new Run(7, shell("echo offline"), Optional.of("none"), List.of()),
                new Copy(8, List.of("a.txt", "b.txt"), "/dest/", List.of(), NONE, Optional.of("1000:1000"), Optional.of("0644")),
                new Copy(9, List.of("/etc/passwd"), "/passwd", List.of(), Optional.of("base"), NONE, NONE),
                new Add(10, List.of("https://example.com/x.tar.gz"), "/x/", List.of(), NONE, NONE,
                        Optional.of("sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d")),
                new Env(11, List.of(kv("A", "1"), kv("B", "\"two words\""))),
                new Env(12, List.of(kv("LEGACY", "the rest of the line"))),
                new Arg(13, List.of(new ArgDeclaration("VERSION", Optional.of("1.0")), new ArgDeclaration("OTHER", NONE))),
                new Workdir(14, "/app"),
                new User(15, "app:app"),
                new Expose(16, List.of("80/tcp", "53/udp")),
                new Label(17, List.of(kv("org.example.name", "\"demo\""), kv("version", "$VERSION"))),
                new Entrypoint(18, exec("/bin/sh", "-c")),
                new Cmd(19, shell("echo hello")),
                new Volume(20, List.of("/data", "/logs")),
                new Volume(21, List.of("/cache", "/tmp/x")),
                new StopSignal(22, "SIGTERM"),
                new Healthcheck(23, Optional.of(exec("curl", "-f", "http://localhost/")), Optional.of(Duration.ofSeconds(30)),
                        Optional.of(Duration.ofSeconds(90)), Optional.of(Duration.ofSeconds(5)), Optional.of(Duration.ofMillis(500)),
                        Optional.of(3)),
                new Instruction.Shell(24, List.of("/bin/bash", "-o", "pipefail", "-c")),
                new Onbuild(25, new Run(25, shell("make"), NONE, List.of()), "RUN make")), d.instructions());
        assertEquals(List.of(), d.notes());
        assertEquals('\\', d.escape());
    }

    @Test
    void continuationsJoinWithoutASpaceAndDropCommentsAndEmptyLines() {
        Dockerfile d = DockerfileFixtures.parse("continuations.Dockerfile");
        assertEquals(List.of(
                new From(1, "scratch", NONE, NONE),
                new Run(2, shell("echo one     two     three     four"), NONE, List.of()),
                new Run(8, shell("echo ab"), NONE, List.of()),
                new Run(10, shell("echo   indented and lower case"), NONE, List.of()),
                new Env(11, List.of(kv("X", "1"), kv("Y", "2"))),
                new Copy(15, List.of("a", "b"), "/c/", List.of(), NONE, NONE, NONE),
                new Run(17, shell("echo last"), NONE, List.of())), d.instructions());
        assertEquals('\\', d.escape(), "a directive after an instruction is a comment");
    }

    @Test
    void crlfLineEndingsAreLineEndings() {
        assertEquals(List.of(new From(1, "scratch", NONE, NONE), new Run(2, shell("echo crlf   done"), NONE, List.of())),
                DockerfileFixtures.parse("crlf.Dockerfile").instructions());
    }

    @Test
    void theEscapeDirectiveMakesTheBacktickTheContinuation() {
        Dockerfile d = DockerfileFixtures.parse("escape-backtick.Dockerfile");
        assertEquals('`', d.escape());
        assertEquals(List.of(
                new From(3, "mcr.microsoft.com/windows/servercore", NONE, NONE),
                new Copy(4, List.of("testfile.txt"), "c:\\", List.of(), NONE, NONE, NONE),
                new Run(5, shell("dir c:\\     /b"), NONE, List.of())), d.instructions());
    }

    @Test
    void theSyntaxDirectiveIsIgnoredWithANote() {
        Dockerfile d = DockerfileFixtures.parse("directives.Dockerfile");
        assertEquals(List.of(new From(4, "scratch", NONE, NONE)), d.instructions());
        assertEquals(List.of("directives.Dockerfile:1: note: syntax directive ignored: berth builds with its own frontend"
                + " (docker/dockerfile:1.7)"), d.notes());
    }

    @Test
    void directivesEndAtTheFirstEmptyLineOrComment() {
        assertEquals(List.of(new From(3, "a", NONE, NONE), new Run(4, shell("x `"), NONE, List.of())),
                Dockerfile.parse("\n# escape=`\nFROM a\nRUN x `\n").instructions());
        assertEquals('\\', Dockerfile.parse("# a comment\n# escape=`\nFROM a\n").escape());
        assertEquals('\\', Dockerfile.parse("# unknown=directive\n# escape=`\nFROM a\n").escape());
        assertEquals('`', Dockerfile.parse("\uFEFF#ESCAPE = `\nFROM a\n").escape());
    }

    @Test
    void heredocsOfRunCopyAndAdd() {
        Dockerfile d = DockerfileFixtures.parse("heredocs.Dockerfile");
        assertEquals(List.of(
                new From(1, "busybox", NONE, NONE),
                new Run(2, shell("<<EOF"), NONE, List.of(
                        new Heredoc("EOF", "echo hello\n# not a comment: heredoc bodies are verbatim\n", true, false, 0))),
                new Run(6, shell("<<-EOT sh -x"), NONE, List.of(
                        new Heredoc("EOT", "echo tabs stripped\necho all leading tabs\n", true, true, 0))),
                new Run(10, shell("cat <<A >/a && cat <<'B' >/b"), NONE, List.of(
                        new Heredoc("A", "first $HOME\n", true, false, 0), new Heredoc("B", "second $HOME\n", false, false, 0))),
                new Copy(15, List.of(), "/etc/motd", List.of(new Heredoc("EOF", "Welcome\n", true, false, 0)), NONE, NONE, NONE),
                new Copy(18, List.of(), "/dir/", List.of(new Heredoc("one", "1\n", true, false, 0),
                        new Heredoc("two", "2\n", true, false, 0)), NONE, NONE, NONE),
                new Add(23, List.of("foo.txt"), "/bar/", List.of(new Heredoc("X", "x\n", false, false, 0)), NONE, NONE, NONE),
                new Run(26, exec("sh", "-c", "cat <<EOF"), NONE, List.of()),
                new Run(27, shell("echo \"<<NOHEREDOC\""), NONE, List.of()),
                new Run(28, shell("3<<FD cat /proc/self/fd/3"), NONE, List.of(new Heredoc("FD", "three\n", true, false, 3)))),
                d.instructions());
    }

    @Test
    void healthcheckNoneAndCmdWithOptions() {
        assertEquals(List.of(
                new From(1, "busybox", NONE, NONE),
                new Healthcheck(2, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                new Healthcheck(3, Optional.of(shell("wget -q -O- http://localhost/ || exit 1")), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty()),
                new Healthcheck(4, Optional.of(exec("true")), Optional.of(Duration.ofMillis(3_723_500)), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.of(0))),
                DockerfileFixtures.parse("healthcheck.Dockerfile").instructions());
    }

    @Test
    void onbuildWrapsAnotherInstruction() {
        assertEquals(List.of(
                new From(1, "busybox", NONE, NONE),
                new Onbuild(2, new Copy(2, List.of("."), "/app/src", List.of(), NONE, NONE, NONE), "COPY . /app/src"),
                new Onbuild(3, new Env(3, List.of(kv("A", "1"))), "env A=1"),
                new Onbuild(4, new Healthcheck(4, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty()), "HEALTHCHECK NONE")),
                DockerfileFixtures.parse("onbuild.Dockerfile").instructions());
    }

    @Test
    void envAndLabelPairsKeepTheirQuotesForExpansion() {
        assertEquals(List.of(
                new From(1, "busybox", NONE, NONE),
                new Env(2, List.of(kv("MY_NAME", "\"John Doe\""), kv("MY_DOG", "Rex\\ The\\ Dog"), kv("MY_CAT", "fluffy"))),
                new Env(4, List.of(kv("EMPTY", ""), kv("SINGLE", "'single $quoted'"))),
                new Env(5, List.of(kv("LEGACY_TWO", "spaced   value"))),
                new Label(6, List.of(kv("\"com.example.vendor\"", "\"ACME Incorporated\""))),
                new Label(7, List.of(kv("multi.label1", "\"value1\""), kv("multi.label2", "\"value2\""), kv("other", "\"value3\""))),
                new Label(9, List.of(kv("description", "\"This text illustrates that label-values can span multiple lines.\"")))),
                DockerfileFixtures.parse("env-label.Dockerfile").instructions());
    }

    @Test
    void linkIsIgnoredWithANote() {
        Dockerfile d = Dockerfile.parse("FROM a\nCOPY --link x /y\n");
        assertEquals(new Copy(2, List.of("x"), "/y", List.of(), NONE, NONE, NONE), d.instructions().get(1));
        assertEquals(List.of("Dockerfile:2: note: COPY --link ignored: the layer is built on the stage as without it"), d.notes());
    }

    @Test
    void aBadJsonArrayIsTheShellForm() {
        assertEquals(new Cmd(1, shell("[\"a\", b]")), Dockerfile.parse("CMD [\"a\", b]").instructions().get(0));
        assertEquals(new Cmd(1, exec()), Dockerfile.parse("CMD []").instructions().get(0));
        assertEquals(new Cmd(1, exec("a\"b", "\u00e9\n")), Dockerfile.parse("CMD [ \"a\\\"b\" , \"\\u00e9\\n\" ]").instructions().get(0));
    }

    private static KeyValue kv(String k, String v) {
        return new KeyValue(k, v);
    }

    static Command.Shell shell(String text) {
        return new Command.Shell(text);
    }

    static Exec exec(String... args) {
        return new Exec(List.of(args));
    }
}
