package dev.nido.image.build;

import java.util.List;
import java.util.Map;

/**
 * One instruction of a Containerfile, continuation lines joined.
 *
 * @param file    the Containerfile's name, for messages
 * @param line    the line it starts on (1-based)
 * @param keyword upper case: {@code RUN}, {@code COPY} ...
 * @param flags   leading {@code --name=value} options, values not yet expanded ({@code --link} alone: "")
 * @param args    the text after the keyword and flags, as written (no substitution yet)
 * @param json    the exec (JSON array) form's strings, or null for the shell/word form
 * @param source  the whole instruction as written (continuations joined), shown in {@code Step N/M : ...}
 */
record Instruction(String file, int line, String keyword, Map<String, String> flags, String args, List<String> json,
                   String source) {
    Instruction {
        flags = Map.copyOf(flags);
        json = json == null ? null : List.copyOf(json);
    }

    /** {@code FILE:LINE}, the prefix of every message about it. */
    String where() {
        return file + ":" + line;
    }

    boolean isJson() {
        return json != null;
    }
}
