package dev.berth.build;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One instruction of a Dockerfile, as written: words keep their quotes and {@code $VARS} until
 * {@link Expander} resolves them for the instructions Docker expands. {@code line} is the 1-based
 * line the instruction starts on.
 */
sealed interface Instruction {

    int line();

    /** The keyword, upper case, as Docker prints it in errors and history. */
    default String keyword() {
        return getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
    }

    /** {@code FROM [--platform=P] IMAGE [AS NAME]}; the name is lower-cased as Docker does. */
    record From(int line, String image, Optional<String> stageName, Optional<String> platform) implements Instruction {
    }

    /** {@code RUN [--network=N] COMMAND}; heredocs in the order written. */
    record Run(int line, Command command, Optional<String> network, List<Heredoc> heredocs) implements Instruction {
        public Run {
            heredocs = List.copyOf(heredocs);
        }
    }

    /** {@code COPY [--from] [--chown] [--chmod] SRC... DEST}; heredoc sources are files named after their delimiter. */
    record Copy(int line, List<String> sources, String destination, List<Heredoc> heredocs, Optional<String> from,
            Optional<String> chown, Optional<String> chmod) implements Instruction {
        public Copy {
            sources = List.copyOf(sources);
            heredocs = List.copyOf(heredocs);
        }
    }

    /** {@code ADD [--chown] [--chmod] [--checksum] SRC... DEST}. */
    record Add(int line, List<String> sources, String destination, List<Heredoc> heredocs, Optional<String> chown,
            Optional<String> chmod, Optional<String> checksum) implements Instruction {
        public Add {
            sources = List.copyOf(sources);
            heredocs = List.copyOf(heredocs);
        }
    }

    /** A {@code key=value} of ENV or LABEL, both sides still raw (quotes kept). */
    record KeyValue(String key, String value) {
    }

    record Env(int line, List<KeyValue> pairs) implements Instruction {
        public Env {
            pairs = List.copyOf(pairs);
        }
    }

    record Label(int line, List<KeyValue> pairs) implements Instruction {
        public Label {
            pairs = List.copyOf(pairs);
        }
    }

    /** One name of ARG, with its default when {@code name=default} was written. */
    record ArgDeclaration(String name, Optional<String> defaultValue) {
    }

    record Arg(int line, List<ArgDeclaration> declarations) implements Instruction {
        public Arg {
            declarations = List.copyOf(declarations);
        }
    }

    record Workdir(int line, String path) implements Instruction {
    }

    record User(int line, String user) implements Instruction {
    }

    record Expose(int line, List<String> ports) implements Instruction {
        public Expose {
            ports = List.copyOf(ports);
        }
    }

    record Entrypoint(int line, Command command) implements Instruction {
    }

    record Cmd(int line, Command command) implements Instruction {
    }

    record Volume(int line, List<String> paths) implements Instruction {
        public Volume {
            paths = List.copyOf(paths);
        }
    }

    record StopSignal(int line, String signal) implements Instruction {
        @Override
        public String keyword() {
            return "STOPSIGNAL";
        }
    }

    /**
     * {@code HEALTHCHECK NONE} (an empty test: disable the base image's) or {@code HEALTHCHECK
     * [--interval] [--timeout] [--start-period] [--start-interval] [--retries] CMD ...}; absent
     * options keep Docker's defaults.
     */
    record Healthcheck(int line, Optional<Command> test, Optional<Duration> interval, Optional<Duration> timeout,
            Optional<Duration> startPeriod, Optional<Duration> startInterval, Optional<Integer> retries)
            implements Instruction {
    }

    record Shell(int line, List<String> shell) implements Instruction {
        public Shell {
            shell = List.copyOf(shell);
        }
    }

    /** {@code ONBUILD INSTRUCTION}: recorded in the image, run by builds that use it as a base; {@code text} as written. */
    record Onbuild(int line, Instruction trigger, String text) implements Instruction {
    }

    /** Deprecated, accepted: the author. */
    record Maintainer(int line, String name) implements Instruction {
    }
}
