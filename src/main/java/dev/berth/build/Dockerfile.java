package dev.berth.build;

import java.io.BufferedReader;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed Dockerfile: its instructions in order, the escape character its directive chose, and
 * notes for the caller to print (an ignored {@code syntax} directive, an ignored {@code --link}).
 */
record Dockerfile(String file, List<Instruction> instructions, char escape, List<String> notes) {

    Dockerfile {
        instructions = List.copyOf(instructions);
        notes = List.copyOf(notes);
    }

    /** Parses a stream; {@code file} names it in errors ({@code Dockerfile}, {@code -} for standard input). */
    static Dockerfile parse(Reader in, String file) {
        List<String> notes = new ArrayList<>();
        LogicalLines lines = new LogicalLines(in instanceof BufferedReader ? in : new BufferedReader(in), file, notes);
        InstructionParser parser = new InstructionParser(file, lines.escape(), notes);
        List<Instruction> out = new ArrayList<>();
        LogicalLines.Line line;
        while ((line = lines.next()) != null) {
            out.add(parser.parse(line.number(), line.text(), line.heredocs()));
        }
        return new Dockerfile(file, out, lines.escape(), notes);
    }

    static Dockerfile parse(String text) {
        return parse(new StringReader(text), "Dockerfile");
    }
}
