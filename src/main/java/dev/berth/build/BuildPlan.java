package dev.berth.build;

import dev.berth.build.Instruction.Arg;
import dev.berth.build.Instruction.ArgDeclaration;
import dev.berth.build.Instruction.Copy;
import dev.berth.build.Instruction.From;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Dockerfile cut into stages, with the global ARGs (those before the first FROM, usable in FROM
 * lines only) resolved against the build args, the target stage ({@code --target}, else the last)
 * and the stages the target needs, in the order they are built: only those are built.
 */
record BuildPlan(List<Stage> stages, int target, List<Integer> needed, Map<String, String> globalArgs,
        Map<String, String> buildArgs, char escape, String file, List<String> notes) {

    BuildPlan {
        stages = List.copyOf(stages);
        needed = List.copyOf(needed);
        globalArgs = Collections.unmodifiableMap(new LinkedHashMap<>(globalArgs));
        buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
        notes = List.copyOf(notes);
    }

    static BuildPlan of(Dockerfile dockerfile, Map<String, String> buildArgs, Optional<String> target) {
        String file = dockerfile.file();
        Map<String, String> globals = new LinkedHashMap<>();
        Set<String> declared = new TreeSet<>();
        List<Stage> stages = new ArrayList<>();
        List<Instruction> all = dockerfile.instructions();
        int i = 0;
        for (; i < all.size() && !(all.get(i) instanceof From); i++) {
            if (!(all.get(i) instanceof Arg arg)) {
                throw new DockerfileException(file, all.get(i).line(), "expected FROM (only ARG may come before it), got "
                        + all.get(i).keyword());
            }
            StageScope scope = new StageScope(file, dockerfile.escape(), globals, buildArgs, Map.of());
            for (ArgDeclaration d : ((Arg) scope.expand(arg)).declarations()) {
                declared.add(d.name());
                globals.put(d.name(), buildArgs.containsKey(d.name()) ? buildArgs.get(d.name()) : d.defaultValue().orElse(null));
            }
        }
        if (i == all.size()) {
            throw new DockerfileException(file, 0, "no FROM instruction: a Dockerfile needs at least one stage");
        }
        while (i < all.size()) {
            From from = (From) all.get(i);
            List<Instruction> body = new ArrayList<>();
            for (i++; i < all.size() && !(all.get(i) instanceof From); i++) {
                body.add(all.get(i));
            }
            stages.add(stage(dockerfile, stages, from, body, buildArgs, globals, declared));
        }
        int targetIndex = stages.size() - 1;
        if (target.isPresent()) {
            String wanted = target.get().toLowerCase(Locale.ROOT);
            targetIndex = stages.stream().filter(s -> s.name().equals(Optional.of(wanted))).mapToInt(Stage::index)
                    .findFirst().orElseThrow(() -> new DockerfileException(file, 0, "target stage " + target.get()
                            + " could not be found: expected one of " + stages.stream().flatMap(s -> s.name().stream()).toList()));
        }
        TreeSet<Integer> needed = new TreeSet<>();
        collect(stages, targetIndex, needed);
        List<String> notes = new ArrayList<>();
        for (String unused : new TreeSet<>(buildArgs.keySet())) {
            if (!declared.contains(unused) && !StageScope.PROXY_ARGS.contains(unused)) {
                notes.add(file + ": note: build arg " + unused + " was not consumed: no ARG " + unused + " declares it");
            }
        }
        return new BuildPlan(stages, targetIndex, new ArrayList<>(needed), globals, buildArgs, dockerfile.escape(), file, notes);
    }

    Stage targetStage() {
        return stages.get(target);
    }

    /** A fresh scope for a stage's instructions, on top of its base image's (or base stage's) Env. */
    StageScope scope(Map<String, String> baseEnv) {
        return new StageScope(file, escape, baseEnv, buildArgs, globalArgs);
    }

    private static Stage stage(Dockerfile dockerfile, List<Stage> earlier, From from, List<Instruction> body,
            Map<String, String> buildArgs, Map<String, String> globals, Set<String> declared) {
        String file = dockerfile.file();
        int index = earlier.size();
        From expanded = new From(from.line(), expandFrom(dockerfile, globals, from, from.image()), from.stageName(),
                from.platform().map(p -> expandFrom(dockerfile, globals, from, p)));
        if (expanded.image().isEmpty()) {
            throw new DockerfileException(file, from.line(), "FROM " + from.image() + ": the image is empty after expansion");
        }
        if (from.stageName().isPresent() && earlier.stream().anyMatch(s -> s.name().equals(from.stageName()))) {
            throw new DockerfileException(file, from.line(), "duplicate stage name " + from.stageName().get());
        }
        OptionalInt baseStage = byName(earlier, expanded.image());
        TreeSet<Integer> depends = new TreeSet<>();
        baseStage.ifPresent(depends::add);
        List<String> images = new ArrayList<>();
        // COPY --from is resolved with the stage's own ARGs and ENVs (the base image's Env is not known yet).
        StageScope scope = new StageScope(file, dockerfile.escape(), Map.of(), buildArgs, globals);
        for (Instruction instruction : body) {
            if (instruction instanceof Arg || instruction instanceof Instruction.Env) {
                Instruction e = scope.expand(instruction);
                if (e instanceof Arg a) {
                    a.declarations().forEach(d -> declared.add(d.name()));
                }
                scope.apply(e);
            }
            if (instruction instanceof Copy copy && copy.from().isPresent()) {
                String ref = ((Copy) scope.expand(copy)).from().get();
                OptionalInt source = ref.matches("\\d{1,9}") ? OptionalInt.of(Integer.parseInt(ref)) : byName(earlier, ref);
                if (source.isPresent() && source.getAsInt() >= index) {
                    throw new DockerfileException(file, copy.line(), "COPY --from=" + ref + ": expected an earlier stage, not stage "
                            + source.getAsInt() + " of stages 0 to " + (index - 1));
                }
                if (source.isEmpty() && (from.stageName().equals(Optional.of(ref.toLowerCase(Locale.ROOT))))) {
                    throw new DockerfileException(file, copy.line(), "COPY --from=" + ref + ": a stage cannot copy from itself");
                }
                source.ifPresentOrElse(depends::add, () -> images.add(ref));
            }
        }
        return new Stage(index, from.stageName(), from.line(), expanded.image(), expanded.platform(), baseStage, body,
                new ArrayList<>(depends), images);
    }

    /** FROM sees the global ARGs only. */
    private static String expandFrom(Dockerfile dockerfile, Map<String, String> globals, From from, String raw) {
        try {
            return Expander.word(raw, dockerfile.escape(), globals::get);
        } catch (IllegalArgumentException e) {
            throw new DockerfileException(dockerfile.file(), from.line(), "FROM: " + e.getMessage());
        }
    }

    private static OptionalInt byName(List<Stage> earlier, String ref) {
        String name = ref.toLowerCase(Locale.ROOT);
        return earlier.stream().filter(s -> s.name().equals(Optional.of(name))).mapToInt(Stage::index).findFirst();
    }

    private static void collect(List<Stage> stages, int index, Set<Integer> into) {
        if (into.add(index)) {
            stages.get(index).dependsOn().forEach(d -> collect(stages, d, into));
        }
    }
}
