package dev.nido.oci;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Parses JSON text (RFC 8259, UTF-8) into a {@link JsonTree}. Problems are reported by line and
 * column, in words: {@code line 3, column 8: unexpected character '}' (expected a value)}.
 *
 * <p>Hand-written rather than jackson-core's parser: that parser's class initialisation alone
 * (its {@link java.math.BigDecimal} constants, and BigDecimal's own initialisation) cost ~15 ms
 * of every {@code nido-runtime} start, even with the JDK's AOT cache.
 */
final class JsonParser {
    /** As jackson-core's default: deeper documents are an attack, not a spec. */
    private static final int MAX_DEPTH = 1000;
    private static final String VALUES = "a string, number, array, object, true, false or null";

    private final char[] s;
    private int pos;
    private int depth;

    private JsonParser(char[] text) {
        this.s = text;
    }

    /** The document's one value; whitespace may surround it, nothing else may follow it. */
    static JsonTree parse(byte[] json) {
        JsonParser p = new JsonParser(decode(json));
        if (p.s.length > 0 && p.s[0] == '\uFEFF') {
            p.pos = 1; // a UTF-8 byte order mark
        }
        p.skipWhitespace();
        if (p.pos == p.s.length) {
            throw new JsonProblem("empty document (expected a JSON object)");
        }
        JsonTree root = p.value(null, null, -1);
        p.skipWhitespace();
        if (p.pos < p.s.length) {
            throw p.problem(p.pos, "unexpected data after the end of the JSON document");
        }
        return root;
    }

    private static char[] decode(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) { // a replacement character: malformed input, or written so
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(json));
            } catch (CharacterCodingException e) {
                throw new JsonProblem("not UTF-8 text (JSON must be UTF-8)");
            }
        }
        return text.toCharArray();
    }

    private JsonTree value(JsonTree parent, String name, int index) {
        int start = pos;
        char c = s[pos];
        if (c == '{') {
            return object(node(JsonTree.Kind.OBJECT, null, parent, name, index, start));
        } else if (c == '[') {
            return array(node(JsonTree.Kind.ARRAY, null, parent, name, index, start));
        } else if (c == '"') {
            return node(JsonTree.Kind.STRING, string(), parent, name, index, start);
        } else if (c == '-' || c >= '0' && c <= '9') {
            boolean integer = number();
            return node(integer ? JsonTree.Kind.INTEGER : JsonTree.Kind.DECIMAL, new String(s, start, pos - start),
                    parent, name, index, start);
        } else if (Character.isJavaIdentifierStart(c)) {
            return node(literal(), null, parent, name, index, start);
        }
        throw unexpected(pos, "expected a value");
    }

    /** A node; the top one also knows its line and column, for problems with the document as a whole. */
    private JsonTree node(JsonTree.Kind kind, String text, JsonTree parent, String name, int index, int start) {
        if (parent != null) {
            return new JsonTree(kind, text, parent, name, index, 0, 0);
        }
        int[] at = position(start);
        return new JsonTree(kind, text, null, null, -1, at[0], at[1]);
    }

    private JsonTree object(JsonTree object) {
        int open = pos++;
        enter();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return object;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw atEnd() ? unclosed(open, '}') : unexpected(pos, "expected '\"' to start a field name");
            }
            String member = string();
            skipWhitespace();
            if (peek() != ':') {
                throw atEnd() ? unclosed(open, '}') : unexpected(pos, "expected ':' after a field name");
            }
            pos++;
            skipWhitespace();
            if (atEnd()) {
                throw unclosed(open, '}');
            }
            object.add(member, value(object, member, -1));
            skipWhitespace();
            if (atEnd()) {
                throw unclosed(open, '}');
            }
            char c = s[pos++];
            if (c == '}') {
                depth--;
                return object;
            } else if (c != ',') {
                throw closing(pos - 1, c, open, '}', "expected ',' or '}'");
            }
        }
    }

    private JsonTree array(JsonTree array) {
        int open = pos++;
        enter();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return array;
        }
        for (int i = 0;; i++) {
            skipWhitespace();
            if (atEnd()) {
                throw unclosed(open, ']');
            }
            array.add(value(array, null, i));
            skipWhitespace();
            if (atEnd()) {
                throw unclosed(open, ']');
            }
            char c = s[pos++];
            if (c == ']') {
                depth--;
                return array;
            } else if (c != ',') {
                throw closing(pos - 1, c, open, ']', "expected ',' or ']'");
            }
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw problem(pos - 1, "nested too deeply (more than " + MAX_DEPTH + " levels)");
        }
    }

    /** A string from its opening quote; {@code pos} ends after the closing quote. */
    private String string() {
        int start = ++pos;
        while (pos < s.length && s[pos] != '"' && s[pos] != '\\' && s[pos] >= 0x20) {
            pos++; // the common case: nothing to unescape
        }
        if (pos < s.length && s[pos] == '"') {
            return new String(s, start, pos++ - start);
        }
        StringBuilder b = new StringBuilder().append(s, start, pos - start);
        while (true) {
            if (atEnd()) {
                throw problem(pos, "unexpected end of input (expected '\"' to close a string)");
            }
            char c = s[pos++];
            if (c == '"') {
                return b.toString();
            } else if (c == '\\') {
                b.append(escape());
            } else if (c < 0x20) {
                throw problem(pos - 1, "unescaped control character in a string (write it as \\n, \\t or \\u00XX)");
            } else {
                b.append(c);
            }
        }
    }

    /** The character of an escape sequence after its backslash. */
    private char escape() {
        if (atEnd()) {
            throw problem(pos, "unexpected end of input (expected '\"' to close a string)");
        }
        char c = s[pos++];
        return switch (c) {
            case '"', '\\', '/' -> c;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> unicodeEscape();
            default -> throw problem(pos - 2, "invalid escape sequence in a string");
        };
    }

    /** The four hex digits of {@code \\uXXXX}. */
    private char unicodeEscape() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = pos < s.length ? Character.digit(s[pos], 16) : -1;
            if (digit < 0) {
                throw problem(pos, "invalid escape sequence in a string (\\u takes four hex digits)");
            }
            value = value * 16 + digit;
            pos++;
        }
        return (char) value;
    }

    /** Skips a number (RFC 8259 grammar); true when it is an integer (no fraction, no exponent). */
    private boolean number() {
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (peek() >= '0' && peek() <= '9') {
                throw problem(pos, "invalid number: leading zeroes not allowed");
            }
        } else {
            digits("after '-'");
        }
        boolean integer = true;
        if (peek() == '.') {
            pos++;
            digits("after the decimal point");
            integer = false;
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            digits("in the exponent");
            integer = false;
        }
        return integer;
    }

    private void digits(String where) {
        if (!(peek() >= '0' && peek() <= '9')) {
            throw atEnd() ? problem(pos, "unexpected end of input in a number")
                    : problem(pos, "invalid number: expected a digit " + where);
        }
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
    }

    /** true, false or null; any other word is reported whole. */
    private JsonTree.Kind literal() {
        int start = pos;
        while (pos < s.length && Character.isJavaIdentifierPart(s[pos])) {
            pos++;
        }
        String word = new String(s, start, pos - start);
        return switch (word) {
            case "true" -> JsonTree.Kind.TRUE;
            case "false" -> JsonTree.Kind.FALSE;
            case "null" -> JsonTree.Kind.NULL;
            // reported after the character that ended the word, as jackson-core did
            default -> throw problem(Math.min(pos + 1, s.length), "unrecognized token '" + word + "' (expected "
                    + VALUES + ")");
        };
    }

    private void skipWhitespace() {
        while (pos < s.length && (s[pos] == ' ' || s[pos] == '\n' || s[pos] == '\t' || s[pos] == '\r')) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= s.length;
    }

    /** The character at {@code pos}, or 0 at the end. */
    private char peek() {
        return pos < s.length ? s[pos] : 0;
    }

    // Problems, by line and column.

    private JsonProblem unclosed(int open, char close) {
        return problem(s.length, "unexpected end of input (expected '" + close + "' to close the "
                + container(close) + " opened at " + where(open) + ")");
    }

    /** A wrong separator; a closing bracket of the other kind says which one was expected. */
    private JsonProblem closing(int at, char c, int open, char close, String expectation) {
        if (c == '}' || c == ']') {
            return problem(at, "unexpected '" + c + "' (expected '" + close + "' to close the " + container(close)
                    + " opened at " + where(open) + ")");
        }
        return unexpected(at, expectation);
    }

    private JsonProblem unexpected(int at, String expectation) {
        char c = s[at];
        if (c == '/' || c == '#') {
            expectation = "comments are not allowed in JSON";
        } else if (c == '\'') {
            expectation = "strings take double quotes";
        }
        String what = c < 0x20 ? "control character (code " + (int) c + ")" : "character '" + c + "'";
        return problem(at, "unexpected " + what + " (" + expectation + ")");
    }

    private static String container(char close) {
        return close == '}' ? "object" : "array";
    }

    /** The line and column (from 1) of an offset; a line ends at LF, CRLF or a lone CR. */
    private int[] position(int at) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (s[i] == '\n' || s[i] == '\r' && (i + 1 == s.length || s[i + 1] != '\n')) {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] {line, at - lineStart + 1};
    }

    /** {@code line 1, column 7}. */
    private String where(int at) {
        int[] p = position(at);
        return "line " + p[0] + ", column " + p[1];
    }

    private JsonProblem problem(int at, String problem) {
        int[] p = position(at);
        return JsonProblem.at(p[0], p[1], problem);
    }
}
