package dev.nido.oci;

/**
 * Broken JSON ({@code line 3, column 8: unexpected character '}' (expected a value)}) or a value
 * that does not fit its Java target ({@code process.user.uid: expected a number, got "abc"}).
 * No stack trace: it never escapes {@link Json#read}, which names the source and throws a
 * {@link SpecException}.
 */
final class JsonProblem extends RuntimeException {
    JsonProblem(String message) {
        super(message, null, false, false);
    }

    /** A problem at a place in the text: {@code line 3, column 8: ...}. */
    static JsonProblem at(int line, int column, String problem) {
        return new JsonProblem("line " + line + ", column " + column + ": " + problem);
    }
}
