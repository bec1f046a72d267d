package dev.berth.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** multistage.Dockerfile cut into stages, and which of them each target needs. */
class BuildPlanTest {

    private static final Dockerfile MULTISTAGE = DockerfileFixtures.parse("multistage.Dockerfile");

    @Test
    void stagesByNameAndIndexAndWhatTheyNeed() {
        BuildPlan plan = BuildPlan.of(MULTISTAGE, Map.of(), Optional.empty());
        List<Stage> s = plan.stages();
        assertEquals(5, s.size());
        assertEquals(List.of(Optional.of("build"), Optional.of("tools"), Optional.of("test"), Optional.of("unused"), Optional.empty()),
                s.stream().map(Stage::name).toList());
        assertEquals(List.of("golang:1.22", "alpine:3.20", "build", "scratch", "debian:12-slim"), s.stream().map(Stage::base).toList());
        assertEquals(List.of(3, 7, 10, 13, 16), s.stream().map(Stage::line).toList());
        assertEquals(OptionalInt.of(0), s.get(2).baseStage());
        assertEquals(List.of(List.of(), List.of(), List.of(0), List.of(1), List.of(0)), s.stream().map(Stage::dependsOn).toList());
        assertEquals(List.of("docker.io/library/busybox:latest"), s.get(4).copyFromImages());
        assertEquals(true, s.get(3).fromScratch());
        assertEquals(4, plan.target());
        assertEquals(List.of(0, 4), plan.needed());
        assertEquals(2, s.get(0).instructions().size());
        assertEquals(List.of(), plan.notes());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            test    | 2 | 0 2
            unused  | 3 | 1 3
            TOOLS   | 1 | 1
            build   | 0 | 0
            """)
    void aTargetNeedsOnlyItsStages(String target, int index, String needed) {
        BuildPlan plan = BuildPlan.of(MULTISTAGE, Map.of(), Optional.of(target));
        assertEquals(index, plan.target());
        assertEquals(List.of(needed.split(" ")).stream().map(Integer::valueOf).toList(), plan.needed());
    }

    @Test
    void buildArgsOverrideGlobalDefaultsAndUnusedOnesAreNoted() {
        BuildPlan plan = BuildPlan.of(MULTISTAGE, Map.of("BASE", "alpine:3.20", "GO", "1.23", "NOPE", "x", "no_proxy", "*"),
                Optional.empty());
        assertEquals("golang:1.23", plan.stages().get(0).base());
        assertEquals("alpine:3.20", plan.stages().get(4).base());
        assertEquals(List.of("multistage.Dockerfile: note: build arg NOPE was not consumed: no ARG NOPE declares it"), plan.notes());
    }

    @Test
    void copyFromExpandsWithTheStageArgs() {
        Dockerfile d = Dockerfile.parse("FROM a AS one\nFROM b AS two\nFROM c\nARG SRC=one\nCOPY --from=$SRC x y\n");
        assertEquals(List.of(0, 2), BuildPlan.of(d, Map.of(), Optional.empty()).needed());
        assertEquals(List.of(1, 2), BuildPlan.of(d, Map.of("SRC", "two"), Optional.empty()).needed());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            RUN x\\nFROM a                          | Dockerfile:1: expected FROM (only ARG may come before it), got RUN
            ARG A                                   | Dockerfile: no FROM instruction: a Dockerfile needs at least one stage
            FROM a AS x\\nFROM b AS X               | Dockerfile:2: duplicate stage name x
            FROM a\\nCOPY --from=1 x y              | Dockerfile:2: COPY --from=1: expected an earlier stage, not stage 1 of stages 0 to -1
            FROM a\\nFROM b\\nCOPY --from=1 x y     | Dockerfile:3: COPY --from=1: expected an earlier stage, not stage 1 of stages 0 to 0
            FROM a AS s\\nCOPY --from=S x y         | Dockerfile:2: COPY --from=S: a stage cannot copy from itself
            FROM ${X}                               | Dockerfile:1: FROM ${X}: the image is empty after expansion
            ARG X\\nFROM ${X:?must}                 | Dockerfile:2: FROM: X: must
            FROM a\\nFROM b                         | Dockerfile: target stage nope could not be found: expected one of []
            """)
    void refusedPlans(String dockerfile, String message) {
        Optional<String> target = message.contains("target stage") ? Optional.of("nope") : Optional.empty();
        assertEquals(message, assertThrows(DockerfileException.class,
                () -> BuildPlan.of(Dockerfile.parse(dockerfile.replace("\\n", "\n")), Map.of(), target)).getMessage());
    }
}
