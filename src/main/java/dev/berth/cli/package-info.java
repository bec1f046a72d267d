/** The berth command: one class per subcommand, and the CLI's one error translator (a line on stderr, exit code 1). */
package dev.berth.cli;
