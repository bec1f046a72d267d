package dev.berth.build;

import static dev.berth.build.DockerfileParserTest.shell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.build.Instruction.Add;
import dev.berth.build.Instruction.Arg;
import dev.berth.build.Instruction.ArgDeclaration;
import dev.berth.build.Instruction.Copy;
import dev.berth.build.Instruction.Env;
import dev.berth.build.Instruction.Expose;
import dev.berth.build.Instruction.KeyValue;
import dev.berth.build.Instruction.Label;
import dev.berth.build.Instruction.Run;
import dev.berth.build.Instruction.StopSignal;
import dev.berth.build.Instruction.User;
import dev.berth.build.Instruction.Volume;
import dev.berth.build.Instruction.Workdir;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** expansion.Dockerfile, instruction by instruction, as Docker expands it. */
class StageScopeTest {

    private static final Optional<String> NONE = Optional.empty();

    @Test
    void expandsWhereDockerExpandsAndNowhereElse() {
        Dockerfile d = DockerfileFixtures.parse("expansion.Dockerfile");
        BuildPlan plan = BuildPlan.of(d, Map.of("VERSION", "2.0", "HTTP_PROXY", "http://proxy:3128"), Optional.empty());
        StageScope scope = plan.scope(Map.of("PATH", "/usr/bin:/bin"));
        List<Instruction> expanded = new ArrayList<>();
        Map<String, String> runEnv = null;
        for (Instruction i : plan.targetStage().instructions()) {
            Instruction e = scope.expand(i);
            if (e instanceof Run) {
                runEnv = scope.runEnvironment();
            }
            scope.apply(e);
            expanded.add(e);
        }
        assertEquals(List.of(
                new Env(2, List.of(kv("foo", "/bar"))),
                new Workdir(3, "/bar"),
                new Add(4, List.of("."), "/bar", List.of(), NONE, NONE, NONE),
                new Copy(5, List.of("$foo"), "/quux", List.of(), NONE, NONE, NONE),
                new Env(6, List.of(kv("abc", "hello"))),
                new Env(7, List.of(kv("abc", "bye"), kv("def", "hello"))),
                new Env(8, List.of(kv("ghi", "bye"))),
                new Label(9, List.of(kv("com.example.who", "nobody"), kv("plus", "set"), kv("single", "$abc"))),
                new Arg(10, List.of(new ArgDeclaration("VERSION", Optional.of("1.0")))),
                new Arg(11, List.of(new ArgDeclaration("FROM_GLOBAL", NONE))),
                new Expose(12, List.of("8080/tcp")),
                new User(13, "1000:"),
                new Volume(14, List.of("/bar/data")),
                new StopSignal(15, "SIGTERM"),
                new Run(16, shell("echo $foo ${VERSION}"), NONE, List.of()),
                new Env(17, List.of(kv("VERSION", "env-wins"))),
                new Workdir(18, "dir with space/env-wins")), expanded);
        assertEquals(Map.of("HTTP_PROXY", "http://proxy:3128", "VERSION", "2.0", "PATH", "/usr/bin:/bin", "foo", "/bar",
                "abc", "bye", "def", "hello", "ghi", "bye"), runEnv, "RUN sees the ARGs with values and the proxy args");
        assertEquals(Map.of("PATH", "/usr/bin:/bin", "foo", "/bar", "abc", "bye", "def", "hello", "ghi", "bye",
                "VERSION", "env-wins"), scope.env(), "the image's Env: no ARG, no proxy");
    }

    @Test
    void anArgWithoutDefaultTakesTheGlobalValueAndGlobalsReachFromLinesOnly() {
        Dockerfile d = Dockerfile.parse("ARG V=1\nARG W=${V}2\nFROM a:$W\nLABEL before=x$V\nARG V\nLABEL after=x$V\n");
        BuildPlan plan = BuildPlan.of(d, Map.of(), Optional.empty());
        assertEquals("a:12", plan.targetStage().base());
        StageScope scope = plan.scope(Map.of());
        List<Instruction> out = new ArrayList<>();
        plan.targetStage().instructions().forEach(i -> {
            Instruction e = scope.expand(i);
            scope.apply(e);
            out.add(e);
        });
        assertEquals(new Label(4, List.of(kv("before", "x"))), out.get(0));
        assertEquals(new Label(6, List.of(kv("after", "x1"))), out.get(2));
    }

    @Test
    void anExpansionFailureNamesTheInstructionAndLine() {
        Dockerfile d = Dockerfile.parse("FROM a\nWORKDIR ${NOPE:?set NOPE}\n");
        StageScope scope = BuildPlan.of(d, Map.of(), Optional.empty()).scope(Map.of());
        assertEquals("Dockerfile:2: WORKDIR: NOPE: set NOPE", assertThrows(DockerfileException.class,
                () -> scope.expand(d.instructions().get(1))).getMessage());
    }

    private static KeyValue kv(String k, String v) {
        return new KeyValue(k, v);
    }
}
