package dev.berth.build;

import dev.berth.build.Instruction.Add;
import dev.berth.build.Instruction.Arg;
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
import dev.berth.build.Instruction.Shell;
import dev.berth.build.Instruction.StopSignal;
import dev.berth.build.Instruction.User;
import dev.berth.build.Instruction.Volume;
import dev.berth.build.Instruction.Workdir;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** An instruction in one line, as the classic builder's {@code Step N/M :} lines and history show it. */
final class StepText {

    private StepText() {
    }

    static String of(Instruction i) {
        String k = i.keyword();
        if (i instanceof From f) {
            return k + " " + f.platform().map(p -> "--platform=" + p + " ").orElse("") + f.image()
                    + f.stageName().map(n -> " AS " + n).orElse("");
        } else if (i instanceof Copy c) {
            List<String> flags = new ArrayList<>();
            c.from().ifPresent(v -> flags.add("--from=" + v));
            c.chown().ifPresent(v -> flags.add("--chown=" + v));
            c.chmod().ifPresent(v -> flags.add("--chmod=" + v));
            return join(k, flags, c.sources(), c.destination());
        } else if (i instanceof Add a) {
            List<String> flags = new ArrayList<>();
            a.chown().ifPresent(v -> flags.add("--chown=" + v));
            a.chmod().ifPresent(v -> flags.add("--chmod=" + v));
            return join(k, flags, a.sources(), a.destination());
        } else if (i instanceof Env e) {
            return k + " " + pairs(e.pairs());
        } else if (i instanceof Label l) {
            return k + " " + pairs(l.pairs());
        } else if (i instanceof Arg a) {
            return k + " " + a.declarations().stream().map(d -> d.name() + d.defaultValue().map(v -> "=" + v).orElse(""))
                    .collect(Collectors.joining(" "));
        } else if (i instanceof Workdir w) {
            return k + " " + w.path();
        } else if (i instanceof User u) {
            return k + " " + u.user();
        } else if (i instanceof Expose e) {
            return k + " " + String.join(" ", e.ports());
        } else if (i instanceof Volume v) {
            return k + " " + v.paths().stream().map(StepText::quote).collect(Collectors.joining(",", "[", "]"));
        } else if (i instanceof StopSignal s) {
            return k + " " + s.signal();
        } else if (i instanceof Cmd c) {
            return k + " " + command(c.command());
        } else if (i instanceof Entrypoint e) {
            return k + " " + command(e.command());
        } else if (i instanceof Run r) {
            return k + " " + command(r.command());
        } else if (i instanceof Shell s) {
            return k + " " + s.shell().stream().map(StepText::quote).collect(Collectors.joining(" ", "[", "]"));
        } else if (i instanceof Healthcheck h) {
            return k + " " + h.test().map(t -> "CMD " + command(t)).orElse("NONE");
        } else if (i instanceof Onbuild o) {
            return k + " " + o.text();
        } else if (i instanceof Maintainer m) {
            return k + " " + m.name();
        }
        return k;
    }

    static String command(Command c) {
        if (c instanceof Command.Exec e) {
            return e.args().stream().map(StepText::quote).collect(Collectors.joining(" ", "[", "]"));
        }
        return ((Command.Shell) c).text();
    }

    private static String join(String keyword, List<String> flags, List<String> sources, String destination) {
        List<String> words = new ArrayList<>();
        words.add(keyword);
        words.addAll(flags);
        words.addAll(sources);
        words.add(destination);
        return String.join(" ", words);
    }

    private static String pairs(List<KeyValue> pairs) {
        return pairs.stream().map(p -> p.key() + "=" + p.value()).collect(Collectors.joining(" "));
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
