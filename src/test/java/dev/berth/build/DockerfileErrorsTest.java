package dev.berth.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad Dockerfiles are refused in one line that names the file, the line and what was expected. */
class DockerfileErrorsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
            FROM scratch\\nRUNN x                      | Dockerfile:2: unknown instruction: RUNN
            FROM a b                                   | Dockerfile:1: FROM expects IMAGE or IMAGE AS NAME, got: a b
            FROM a AS 1x                               | Dockerfile:1: invalid stage name 1x: expected a letter, then letters, digits, '.', '_' or '-'
            FROM --platform=linux/amd64                | Dockerfile:1: FROM expects IMAGE or IMAGE AS NAME, got: nothing
            COPY onlyone                               | Dockerfile:1: COPY expects at least one source and a destination
            ADD                                        | Dockerfile:1: ADD expects at least one source and a destination
            RUN --mount=type=cache,target=/x make      | Dockerfile:1: RUN --mount is not supported yet
            RUN --network=bridge make                  | Dockerfile:1: RUN --network expects default, none or host, got: bridge
            RUN --security=insecure make               | Dockerfile:1: RUN --security is not supported: RUN steps run unprivileged
            COPY --foo=1 a b                           | Dockerfile:1: unknown flag for COPY: --foo (expected one of --chmod, --chown, --exclude, --from, --link, --parents)
            COPY --from=a --from=b x y                 | Dockerfile:1: duplicate flag for COPY: --from
            COPY --from= x y                           | Dockerfile:1: COPY --from expects a value
            COPY --parents a/b /c/                     | Dockerfile:1: COPY --parents is not supported
            WORKDIR --x /a                             | Dockerfile:1: unknown flag for WORKDIR: --x (it takes none)
            ONBUILD ONBUILD RUN x                      | Dockerfile:1: ONBUILD ONBUILD is not allowed
            ONBUILD from x                             | Dockerfile:1: ONBUILD FROM is not allowed
            ONBUILD MAINTAINER x                       | Dockerfile:1: ONBUILD MAINTAINER is not allowed
            ONBUILD                                    | Dockerfile:1: ONBUILD expects an instruction
            ONBUILD RUN <<EOF\\necho\\nEOF              | Dockerfile:1: ONBUILD RUN with a heredoc is not supported
            ONBUILD RUNN x                             | Dockerfile:1: unknown instruction: RUNN
            SHELL /bin/sh -c                           | Dockerfile:1: SHELL expects a JSON array such as ["/bin/sh", "-c"], got: /bin/sh -c
            SHELL []                                   | Dockerfile:1: SHELL expects a JSON array such as ["/bin/sh", "-c"], got: []
            HEALTHCHECK --interval=abc CMD true        | Dockerfile:1: HEALTHCHECK --interval expects a duration such as 30s or 1m30s, got: abc
            HEALTHCHECK --timeout=10ns CMD true        | Dockerfile:1: HEALTHCHECK --timeout must be 0 or at least 1ms, got: 10ns
            HEALTHCHECK --interval=10s NONE            | Dockerfile:1: HEALTHCHECK NONE takes no flags and no arguments
            HEALTHCHECK CMD                            | Dockerfile:1: HEALTHCHECK CMD expects a command
            HEALTHCHECK --retries=-1 CMD x             | Dockerfile:1: HEALTHCHECK --retries expects a whole number >= 0, got: -1
            HEALTHCHECK FOO                            | Dockerfile:1: HEALTHCHECK expects NONE or [OPTIONS] CMD COMMAND, got: FOO
            ENV                                        | Dockerfile:1: ENV expects name=value
            ENV A=1 B                                  | Dockerfile:1: ENV expects name=value, got: B
            ENV ONLYNAME                               | Dockerfile:1: ENV expects name=value (or the legacy NAME VALUE), got: ONLYNAME
            LABEL =x                                   | Dockerfile:1: LABEL expects name=value, got: =x
            ARG                                        | Dockerfile:1: ARG expects at least one argument
            ARG =x                                     | Dockerfile:1: ARG expects NAME or NAME=DEFAULT, got: =x
            WORKDIR                                    | Dockerfile:1: WORKDIR expects one argument
            EXPOSE                                     | Dockerfile:1: EXPOSE expects at least one argument
            CMD                                        | Dockerfile:1: CMD expects a command
            FROM a\\nRUN <<EOF\\necho                  | Dockerfile:2: unterminated heredoc EOF: expected a line EOF
            """)
    void refusedInOneLine(String dockerfile, String message) {
        String text = dockerfile.replace("\\n", "\n").replace("\\\\", "\\");
        DockerfileException e = assertThrows(DockerfileException.class, () -> Dockerfile.parse(text));
        assertEquals(message.replace("\\\\", "\\"), e.getMessage());
        assertEquals("Dockerfile", e.file());
    }

    @Test
    void badEscapeDirectives() {
        assertEquals("Dockerfile:1: invalid escape token x: expected ` or \\",
                assertThrows(DockerfileException.class, () -> Dockerfile.parse("# escape=x\nFROM a\n")).getMessage());
        assertEquals("Dockerfile:2: only one escape parser directive can be used",
                assertThrows(DockerfileException.class, () -> Dockerfile.parse("# escape=\\\n# escape=`\nFROM a\n")).getMessage());
    }

    @Test
    void aContinuationRunsOnPastEmptyLinesIntoTheNextInstructionWord() {
        assertEquals(new Instruction.Run(2, new Command.Shell("x   RUN2"), java.util.Optional.empty(), java.util.List.of()),
                Dockerfile.parse("FROM a\nRUN x \\\n\n  \\\nRUN2\n").instructions().get(1));
    }

    @Test
    @Timeout(30)
    void anEndlessStreamIsRefusedAtTheSizeLimit() {
        Reader endless = new Reader() {
            @Override
            public int read(char[] buf, int off, int len) {
                java.util.Arrays.fill(buf, off, off + len, 'a');
                return len;
            }

            @Override
            public void close() {
            }
        };
        DockerfileException e = assertThrows(DockerfileException.class, () -> Dockerfile.parse(endless, "-"));
        assertEquals("-:1: refused: the file is larger than " + LogicalLines.MAX_CHARS + " characters", e.getMessage());
        assertEquals(1, e.line());
    }

    @Test
    void aLineBreakInTheMessageIsFlattened() {
        DockerfileException e = assertThrows(DockerfileException.class, () -> Dockerfile.parse("FROM a\nCOPY \"x\ny\""));
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        assertEquals(Duration.ZERO, GoDuration.parse("0"));
    }
}
