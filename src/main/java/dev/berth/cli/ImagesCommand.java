package dev.berth.cli;

import dev.berth.runtime.image.ImageRecord;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code berth images}: the local images, as {@code docker images} lists them. */
@Command(name = "images", mixinStandardHelpOptions = true, description = "List the images in the local store.")
final class ImagesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = {"-q", "--quiet"}, description = "Print only image ids.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ImageRecord> images = new ArrayList<>(runtime.images().list());
        images.sort(Comparator.comparing((ImageRecord r) -> r.reference().familiarRepository())
                .thenComparing(r -> r.reference().toString()));
        if (quiet) {
            images.stream().map(r -> r.id().hex().substring(0, 12)).distinct().forEach(out::println);
            out.flush();
            return 0;
        }
        Instant now = Instant.now();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"});
        for (ImageRecord r : images) {
            rows.add(new String[] {r.reference().familiarRepository(),
                r.reference().tag() == null ? "<none>" : r.reference().tag().value(),
                r.id().hex().substring(0, 12), Sizes.ago(r.created(), now), Sizes.human(r.size())});
        }
        int[] widths = new int[5];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 3) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
        return 0;
    }
}
