package dev.berth.build;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One build stage: from its FROM (the base expanded with the global ARGs: an image reference,
 * {@code scratch}, or an earlier stage, {@code baseStage}) to the next. {@code dependsOn} are the
 * stages it needs built first (its base stage and those its {@code COPY --from} names), sorted;
 * {@code copyFromImages} the images its {@code COPY --from} names instead.
 */
record Stage(int index, Optional<String> name, int line, String base, Optional<String> platform, OptionalInt baseStage,
        List<Instruction> instructions, List<Integer> dependsOn, List<String> copyFromImages) {

    Stage {
        instructions = List.copyOf(instructions);
        dependsOn = List.copyOf(dependsOn);
        copyFromImages = List.copyOf(copyFromImages);
    }

    boolean fromScratch() {
        return baseStage.isEmpty() && base.equalsIgnoreCase("scratch");
    }
}
