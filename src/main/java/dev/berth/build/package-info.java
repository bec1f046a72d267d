/**
 * The Dockerfile language of {@code berth build}: the parser (directives, continuations, comments,
 * heredocs, exec and shell forms, flags) into {@link dev.berth.build.Instruction} records, the
 * variable expansion Docker applies and where it applies it, ARG and build-arg scoping, the stage
 * model with {@code --target} and the stages it depends on, {@code .dockerignore} and the context
 * walker that says which files a COPY source selects. Build steps, layer diffs and the cache come
 * later and land here too. May use {@code oci}, {@code content}, {@code layer}, {@code runtime} and
 * {@code client}; never the server.
 */
package dev.berth.build;
