package dev.berth.build;

import dev.berth.build.Instruction.Add;
import dev.berth.build.Instruction.Arg;
import dev.berth.build.Instruction.ArgDeclaration;
import dev.berth.build.Instruction.Copy;
import dev.berth.build.Instruction.Env;
import dev.berth.build.Instruction.Expose;
import dev.berth.build.Instruction.KeyValue;
import dev.berth.build.Instruction.Label;
import dev.berth.build.Instruction.StopSignal;
import dev.berth.build.Instruction.User;
import dev.berth.build.Instruction.Volume;
import dev.berth.build.Instruction.Workdir;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The variables of one stage as its instructions run in order: the base image's Env, then ENV,
 * then the ARGs the stage declared (ENV wins over an ARG of the same name), with build args
 * overriding ARG defaults and an {@code ARG NAME} without a default picking up the global ARG's
 * value. {@link #expand} gives an instruction as Docker sees it (all of its variables read from
 * the scope before it, so {@code ENV a=1 b=$a} sees the old {@code a}); {@link #apply} then
 * records what it declared. RUN, CMD and ENTRYPOINT are left to their shell; ONBUILD triggers are
 * stored as written and expanded by the build that runs them.
 */
final class StageScope {

    /** Usable in RUN without an ARG, never written into the image. */
    static final Set<String> PROXY_ARGS = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
            "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    private final String file;
    private final char escape;
    private final Map<String, String> buildArgs;
    private final Map<String, String> globals;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> args = new LinkedHashMap<>();

    StageScope(String file, char escape, Map<String, String> baseEnv, Map<String, String> buildArgs, Map<String, String> globals) {
        this.file = file;
        this.escape = escape;
        this.buildArgs = buildArgs;
        this.globals = globals;
        env.putAll(baseEnv);
    }

    /** The variable as expansion sees it, null when unset. */
    String lookup(String name) {
        return env.containsKey(name) ? env.get(name) : args.get(name);
    }

    /** The ENV so far, for the image config. */
    Map<String, String> env() {
        return Collections.unmodifiableMap(env);
    }

    /** What a RUN step's process gets: the ENV, the declared ARGs that have a value, and the proxy build args. */
    Map<String, String> runEnvironment() {
        Map<String, String> run = new LinkedHashMap<>();
        buildArgs.forEach((k, v) -> {
            if (PROXY_ARGS.contains(k)) {
                run.put(k, v);
            }
        });
        args.forEach((k, v) -> {
            if (v != null) {
                run.put(k, v);
            }
        });
        run.putAll(env);
        return run;
    }

    Instruction expand(Instruction i) {
        try {
            if (i instanceof Copy c) {
                return new Copy(c.line(), words(c.sources()), word(c.destination()), c.heredocs(), c.from().map(this::word),
                        c.chown().map(this::word), c.chmod().map(this::word));
            } else if (i instanceof Add a) {
                return new Add(a.line(), words(a.sources()), word(a.destination()), a.heredocs(), a.chown().map(this::word),
                        a.chmod().map(this::word), a.checksum().map(this::word));
            } else if (i instanceof Env e) {
                return new Env(e.line(), pairs(e.pairs()));
            } else if (i instanceof Label l) {
                return new Label(l.line(), pairs(l.pairs()));
            } else if (i instanceof Expose e) {
                return new Expose(e.line(), words(e.ports()));
            } else if (i instanceof Volume v) {
                return new Volume(v.line(), words(v.paths()));
            } else if (i instanceof Workdir w) {
                return new Workdir(w.line(), word(w.path()));
            } else if (i instanceof User u) {
                return new User(u.line(), word(u.user()));
            } else if (i instanceof StopSignal s) {
                return new StopSignal(s.line(), word(s.signal()));
            } else if (i instanceof Arg a) {
                return new Arg(a.line(), a.declarations().stream()
                        .map(d -> new ArgDeclaration(word(d.name()), d.defaultValue().map(this::word))).toList());
            }
            return i;
        } catch (IllegalArgumentException e) {
            throw new DockerfileException(file, i.line(), i.keyword() + ": " + e.getMessage());
        }
    }

    /** Records what an expanded instruction declares: ENV's variables, ARG's names and values. */
    void apply(Instruction expanded) {
        if (expanded instanceof Env e) {
            e.pairs().forEach(p -> env.put(p.key(), p.value()));
        } else if (expanded instanceof Arg a) {
            for (ArgDeclaration d : a.declarations()) {
                String value = buildArgs.containsKey(d.name()) ? buildArgs.get(d.name())
                        : d.defaultValue().orElseGet(() -> globals.get(d.name()));
                args.put(d.name(), value);
            }
        }
    }

    String word(String raw) {
        return Expander.word(raw, escape, this::lookup);
    }

    private List<String> words(List<String> raw) {
        List<String> out = new ArrayList<>(raw.size());
        raw.forEach(w -> out.add(word(w)));
        return out;
    }

    private List<KeyValue> pairs(List<KeyValue> raw) {
        return raw.stream().map(p -> new KeyValue(word(p.key()), word(p.value()))).toList();
    }
}
