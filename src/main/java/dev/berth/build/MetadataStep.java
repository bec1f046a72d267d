package dev.berth.build;

import dev.berth.build.Instruction.Arg;
import dev.berth.build.Instruction.Cmd;
import dev.berth.build.Instruction.Entrypoint;
import dev.berth.build.Instruction.Env;
import dev.berth.build.Instruction.Expose;
import dev.berth.build.Instruction.Healthcheck;
import dev.berth.build.Instruction.Label;
import dev.berth.build.Instruction.Maintainer;
import dev.berth.build.Instruction.Onbuild;
import dev.berth.build.Instruction.Shell;
import dev.berth.build.Instruction.StopSignal;
import dev.berth.build.Instruction.User;
import dev.berth.build.Instruction.Volume;
import dev.berth.build.Instruction.Workdir;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The instructions that change only the image config, as Docker applies them: ENV replaces a
 * variable in place, WORKDIR is relative to the last one, ENTRYPOINT clears a CMD inherited from the
 * base (not one set in this stage), the shell forms of CMD and ENTRYPOINT run under SHELL, and EXPOSE
 * without a protocol means tcp.
 */
final class MetadataStep {

    private MetadataStep() {
    }

    /** Applies an expanded instruction to the stage's config; false when it is not a metadata instruction. */
    static boolean apply(StageState s, Instruction i) {
        ObjectNode c = s.exec();
        if (i instanceof Env) {
            s.scope.apply(i);
            s.setEnv(s.scope.env());
        } else if (i instanceof Arg) {
            s.scope.apply(i);
        } else if (i instanceof Workdir w) {
            String path = w.path().startsWith("/") ? w.path() : s.workdir() + "/" + w.path();
            c.put("WorkingDir", PathGlob.clean(path));
        } else if (i instanceof User u) {
            c.put("User", u.user());
        } else if (i instanceof Expose e) {
            ObjectNode ports = c.get("ExposedPorts") instanceof ObjectNode p ? p : c.putObject("ExposedPorts");
            e.ports().forEach(p -> ports.putObject(p.contains("/") ? p.toLowerCase(java.util.Locale.ROOT) : p + "/tcp"));
        } else if (i instanceof Label l) {
            ObjectNode labels = c.get("Labels") instanceof ObjectNode o ? o : c.putObject("Labels");
            l.pairs().forEach(p -> labels.put(p.key(), p.value()));
        } else if (i instanceof Entrypoint e) {
            c.set("Entrypoint", argv(s, e.command()));
            if (!s.cmdSetHere) {
                c.remove("Cmd");
            }
        } else if (i instanceof Cmd cmd) {
            c.set("Cmd", argv(s, cmd.command()));
            s.cmdSetHere = true;
        } else if (i instanceof Volume v) {
            ObjectNode volumes = c.get("Volumes") instanceof ObjectNode o ? o : c.putObject("Volumes");
            v.paths().forEach(volumes::putObject);
        } else if (i instanceof StopSignal sig) {
            c.put("StopSignal", sig.signal());
        } else if (i instanceof Shell sh) {
            ArrayNode a = c.putArray("Shell");
            sh.shell().forEach(a::add);
        } else if (i instanceof Healthcheck h) {
            healthcheck(s, c, h);
        } else if (i instanceof Onbuild o) {
            ArrayNode a = c.get("OnBuild") instanceof ArrayNode b ? b : c.putArray("OnBuild");
            a.add(o.text());
        } else if (i instanceof Maintainer m) {
            s.config.put("author", m.name());
        } else {
            return false;
        }
        return true;
    }

    private static void healthcheck(StageState s, ObjectNode c, Healthcheck h) {
        ObjectNode hc = c.putObject("Healthcheck");
        ArrayNode test = hc.putArray("Test");
        if (h.test().isEmpty()) {
            test.add("NONE");
            return;
        }
        if (h.test().get() instanceof Command.Exec e) {
            test.add("CMD");
            e.args().forEach(test::add);
        } else {
            test.add("CMD-SHELL").add(((Command.Shell) h.test().get()).text());
        }
        nanos(hc, "Interval", h.interval());
        nanos(hc, "Timeout", h.timeout());
        nanos(hc, "StartPeriod", h.startPeriod());
        nanos(hc, "StartInterval", h.startInterval());
        h.retries().ifPresent(r -> hc.put("Retries", r));
    }

    private static void nanos(ObjectNode hc, String field, Optional<Duration> d) {
        d.ifPresent(v -> hc.put(field, v.toNanos()));
    }

    private static ArrayNode argv(StageState s, Command command) {
        ArrayNode a = StageState.JSON.createArrayNode();
        if (command instanceof Command.Exec e) {
            e.args().forEach(a::add);
        } else {
            List<String> shell = s.shell();
            shell.forEach(a::add);
            a.add(((Command.Shell) command).text());
        }
        return a;
    }
}
