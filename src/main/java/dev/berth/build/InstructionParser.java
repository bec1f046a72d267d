package dev.berth.build;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** One logical line into its {@link Instruction}, or a {@link DockerfileException} saying what was expected. */
final class InstructionParser {

    private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9._-]*");
    private static final Pattern ARG_NAME = Pattern.compile("[^=\\s]+");
    private static final Duration MIN_HEALTH_DURATION = Duration.ofMillis(1);

    private final String file;
    private final char escape;
    private final List<String> notes;

    InstructionParser(String file, char escape, List<String> notes) {
        this.file = file;
        this.escape = escape;
        this.notes = notes;
    }

    Instruction parse(int line, String text, List<Heredoc> heredocs) {
        String[] parts = text.split("[ \\t]+", 2);
        String keyword = parts[0].toUpperCase(Locale.ROOT);
        String rest = parts.length > 1 ? parts[1].strip() : "";
        return switch (keyword) {
            case "FROM" -> from(line, rest);
            case "RUN" -> run(line, rest, heredocs);
            case "COPY" -> copy(line, rest, heredocs);
            case "ADD" -> add(line, rest, heredocs);
            case "ENV" -> new Env(line, pairs(line, "ENV", rest));
            case "LABEL" -> new Label(line, pairs(line, "LABEL", rest));
            case "ARG" -> arg(line, rest);
            case "WORKDIR" -> new Workdir(line, single(line, "WORKDIR", rest));
            case "USER" -> new User(line, single(line, "USER", rest));
            case "EXPOSE" -> new Expose(line, atLeastOne(line, "EXPOSE", Words.fields(noFlags(line, "EXPOSE", rest))));
            case "ENTRYPOINT" -> new Entrypoint(line, command(line, "ENTRYPOINT", noFlags(line, "ENTRYPOINT", rest)));
            case "CMD" -> new Cmd(line, command(line, "CMD", noFlags(line, "CMD", rest)));
            case "VOLUME" -> new Volume(line, atLeastOne(line, "VOLUME", list(noFlags(line, "VOLUME", rest))));
            case "STOPSIGNAL" -> new StopSignal(line, single(line, "STOPSIGNAL", rest));
            case "HEALTHCHECK" -> healthcheck(line, rest);
            case "SHELL" -> shell(line, rest);
            case "ONBUILD" -> onbuild(line, rest);
            case "MAINTAINER" -> new Maintainer(line, single(line, "MAINTAINER", rest));
            default -> throw error(line, "unknown instruction: " + parts[0]);
        };
    }

    private From from(int line, String rest) {
        Flags flags = Flags.parse(rest, escape, Set.of("platform"), "FROM", file, line);
        List<String> words = Words.fields(flags.rest());
        if (words.size() == 1) {
            return new From(line, words.get(0), Optional.empty(), flags.value("platform"));
        }
        if (words.size() != 3 || !words.get(1).equalsIgnoreCase("AS")) {
            throw error(line, "FROM expects IMAGE or IMAGE AS NAME, got: " + (flags.rest().isEmpty() ? "nothing" : flags.rest()));
        }
        String name = words.get(2).toLowerCase(Locale.ROOT);
        if (!STAGE_NAME.matcher(name).matches()) {
            throw error(line, "invalid stage name " + words.get(2) + ": expected a letter, then letters, digits, '.', '_' or '-'");
        }
        return new From(line, words.get(0), Optional.of(name), flags.value("platform"));
    }

    private Run run(int line, String rest, List<Heredoc> heredocs) {
        Flags flags = Flags.parse(rest, escape, Set.of("network", "mount", "security"), "RUN", file, line);
        if (flags.has("mount")) {
            throw error(line, "RUN --mount is not supported yet");
        }
        if (flags.has("security")) {
            throw error(line, "RUN --security is not supported: RUN steps run unprivileged");
        }
        Optional<String> network = flags.value("network");
        if (flags.has("network") && network.filter(n -> Set.of("default", "none", "host").contains(n)).isEmpty()) {
            throw error(line, "RUN --network expects default, none or host, got: " + network.orElse(""));
        }
        return new Run(line, command(line, "RUN", flags.rest()), network, heredocs);
    }

    private Copy copy(int line, String rest, List<Heredoc> heredocs) {
        Flags flags = Flags.parse(rest, escape, Set.of("from", "chown", "chmod", "link", "parents", "exclude"), "COPY", file, line);
        for (String refused : List.of("parents", "exclude")) {
            if (flags.has(refused)) {
                throw error(line, "COPY --" + refused + " is not supported");
            }
        }
        noteLink(line, "COPY", flags);
        List<String> args = sourcesAndDestination(line, "COPY", flags.rest(), heredocs);
        return new Copy(line, args.subList(0, args.size() - 1), args.get(args.size() - 1), heredocs,
                nonEmpty(line, "COPY", "from", flags), flags.value("chown"), flags.value("chmod"));
    }

    private Add add(int line, String rest, List<Heredoc> heredocs) {
        Flags flags = Flags.parse(rest, escape, Set.of("chown", "chmod", "checksum", "link", "keep-git-dir"), "ADD", file, line);
        if (flags.has("keep-git-dir")) {
            throw error(line, "ADD --keep-git-dir is not supported: ADD of git repositories is not supported");
        }
        noteLink(line, "ADD", flags);
        List<String> args = sourcesAndDestination(line, "ADD", flags.rest(), heredocs);
        return new Add(line, args.subList(0, args.size() - 1), args.get(args.size() - 1), heredocs,
                flags.value("chown"), flags.value("chmod"), nonEmpty(line, "ADD", "checksum", flags));
    }

    private void noteLink(int line, String instruction, Flags flags) {
        if (flags.has("link")) {
            notes.add(file + ":" + line + ": note: " + instruction + " --link ignored: the layer is built on the stage as without it");
        }
    }

    /** The sources (heredoc words left out: they name the heredocs) and the destination, last. */
    private List<String> sourcesAndDestination(int line, String instruction, String rest, List<Heredoc> heredocs) {
        List<String> words = new ArrayList<>(list(rest));
        if (!heredocs.isEmpty()) {
            words.removeIf(w -> w.matches("\\d*<<-?.+"));
        }
        if (words.isEmpty() || words.size() + heredocs.size() < 2) {
            throw error(line, instruction + " expects at least one source and a destination");
        }
        return words;
    }

    private Optional<String> nonEmpty(int line, String instruction, String flag, Flags flags) {
        Optional<String> v = flags.value(flag);
        if (flags.has(flag) && v.filter(s -> !s.isEmpty()).isEmpty()) {
            throw error(line, instruction + " --" + flag + " expects a value");
        }
        return v;
    }

    private List<KeyValue> pairs(int line, String instruction, String rest) {
        String args = noFlags(line, instruction, rest);
        List<String> words = Words.split(args, escape);
        if (words.isEmpty()) {
            throw error(line, instruction + " expects name=value");
        }
        if (!words.get(0).contains("=")) {
            // The legacy form, one pair: NAME VALUE, the value being the rest of the line.
            String[] nv = args.split("[ \\t]+", 2);
            if (nv.length < 2) {
                throw error(line, instruction + " expects name=value (or the legacy NAME VALUE), got: " + args);
            }
            return List.of(new KeyValue(nv[0], nv[1].strip()));
        }
        List<KeyValue> pairs = new ArrayList<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw error(line, instruction + " expects name=value, got: " + w);
            }
            pairs.add(new KeyValue(w.substring(0, eq), w.substring(eq + 1)));
        }
        return pairs;
    }

    private Arg arg(int line, String rest) {
        List<ArgDeclaration> out = new ArrayList<>();
        for (String w : atLeastOne(line, "ARG", Words.split(noFlags(line, "ARG", rest), escape))) {
            int eq = w.indexOf('=');
            String name = eq < 0 ? w : w.substring(0, eq);
            if (!ARG_NAME.matcher(name).matches()) {
                throw error(line, "ARG expects NAME or NAME=DEFAULT, got: " + w);
            }
            out.add(new ArgDeclaration(name, eq < 0 ? Optional.empty() : Optional.of(w.substring(eq + 1))));
        }
        return new Arg(line, out);
    }

    private Healthcheck healthcheck(int line, String rest) {
        Flags flags = Flags.parse(rest, escape, Set.of("interval", "timeout", "start-period", "start-interval", "retries"),
                "HEALTHCHECK", file, line);
        String[] parts = flags.rest().split("[ \\t]+", 2);
        String type = parts[0].toUpperCase(Locale.ROOT);
        if (type.equals("NONE")) {
            if (parts.length > 1 || !flags.values().isEmpty()) {
                throw error(line, "HEALTHCHECK NONE takes no flags and no arguments");
            }
            return new Healthcheck(line, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
        }
        if (!type.equals("CMD")) {
            throw error(line, "HEALTHCHECK expects NONE or [OPTIONS] CMD COMMAND, got: " + (parts[0].isEmpty() ? "nothing" : parts[0]));
        }
        Command test = command(line, "HEALTHCHECK CMD", parts.length > 1 ? parts[1] : "");
        Optional<Integer> retries = flags.value("retries").map(r -> {
            try {
                int n = Integer.parseInt(r);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException notANumber) {
                // refused below
            }
            throw error(line, "HEALTHCHECK --retries expects a whole number >= 0, got: " + r);
        });
        return new Healthcheck(line, Optional.of(test), duration(line, "interval", flags), duration(line, "timeout", flags),
                duration(line, "start-period", flags), duration(line, "start-interval", flags), retries);
    }

    private Optional<Duration> duration(int line, String flag, Flags flags) {
        return flags.value(flag).map(v -> {
            Duration d = GoDuration.parse(v);
            if (d == null) {
                throw error(line, "HEALTHCHECK --" + flag + " expects a duration such as 30s or 1m30s, got: " + v);
            }
            if (!d.isZero() && d.compareTo(MIN_HEALTH_DURATION) < 0) {
                throw error(line, "HEALTHCHECK --" + flag + " must be 0 or at least 1ms, got: " + v);
            }
            return d;
        });
    }

    private Instruction.Shell shell(int line, String rest) {
        Optional<List<String>> json = Words.jsonArray(noFlags(line, "SHELL", rest));
        if (json.isEmpty() || json.get().isEmpty()) {
            throw error(line, "SHELL expects a JSON array such as [\"/bin/sh\", \"-c\"], got: " + rest);
        }
        return new Instruction.Shell(line, json.get());
    }

    private Onbuild onbuild(int line, String rest) {
        String trigger = rest.split("[ \\t]+", 2)[0].toUpperCase(Locale.ROOT);
        if (trigger.isEmpty()) {
            throw error(line, "ONBUILD expects an instruction");
        }
        if (Set.of("ONBUILD", "FROM", "MAINTAINER").contains(trigger)) {
            throw error(line, "ONBUILD " + trigger + " is not allowed");
        }
        if (Set.of("RUN", "COPY", "ADD").contains(trigger)
                && Words.split(rest, escape).stream().anyMatch(w -> w.matches("\\d*<<-?[^<]+"))) {
            throw error(line, "ONBUILD " + trigger + " with a heredoc is not supported");
        }
        return new Onbuild(line, parse(line, rest, List.of()), rest);
    }

    private Command command(int line, String instruction, String rest) {
        Optional<List<String>> json = Words.jsonArray(rest);
        if (json.isPresent()) {
            return new Command.Exec(json.get());
        }
        if (rest.isBlank()) {
            throw error(line, instruction + " expects a command");
        }
        return new Command.Shell(rest);
    }

    /** A JSON array, or whitespace-separated words. */
    private static List<String> list(String rest) {
        return Words.jsonArray(rest).orElseGet(() -> Words.fields(rest));
    }

    private String single(int line, String instruction, String rest) {
        String v = noFlags(line, instruction, rest);
        if (v.isEmpty()) {
            throw error(line, instruction + " expects one argument");
        }
        return v;
    }

    private List<String> atLeastOne(int line, String instruction, List<String> words) {
        if (words.isEmpty()) {
            throw error(line, instruction + " expects at least one argument");
        }
        return words;
    }

    private String noFlags(int line, String instruction, String rest) {
        return Flags.parse(rest, escape, Set.of(), instruction, file, line).rest();
    }

    private DockerfileException error(int line, String what) {
        return new DockerfileException(file, line, what);
    }
}
