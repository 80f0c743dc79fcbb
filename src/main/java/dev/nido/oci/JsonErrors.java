package dev.nido.oci;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Jackson's exceptions into one human line: a JSON path and what was expected for a wrong
 * type, a line and column for broken syntax. No Java class names, no source dumps.
 */
final class JsonErrors {
    private static final Pattern UNEXPECTED_CHAR =
            Pattern.compile("Unexpected character \\((.+?) \\(code (\\d+)\\)\\)(?::\\s*(.*))?", Pattern.DOTALL);
    private static final Pattern MARKER_AT = Pattern.compile("line: (\\d+), column: (\\d+)");

    private JsonErrors() {
    }

    /** {@code process.user.uid: expected a number, got "abc"} or {@code line 3, column 7: ...}. */
    static String describe(JacksonException e) {
        if (e instanceof JsonMappingException m) {
            return describeMapping(m);
        }
        if (e instanceof InputCoercionException c) {
            return describeRange(c);
        }
        return at(e.getLocation()) + syntax(e.getOriginalMessage());
    }

    private static String describeMapping(JsonMappingException e) {
        String path = path(e.getPath());
        // databind wraps what the parser throws inside a collection or record with the path so far
        if (e.getCause() instanceof InputCoercionException c) {
            return path.isEmpty() ? describeRange(c) : path + ": " + range(c);
        }
        if (e.getCause() instanceof JacksonException cause && !(cause instanceof JsonMappingException)) {
            return describe(cause);
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.startsWith("No content to map")) {
            return "empty document (expected a JSON object)";
        }
        if (original.startsWith("Trailing token")) {
            return at(e.getLocation()) + "unexpected data after the end of the JSON document";
        }
        String problem = problem(e);
        return path.isEmpty() ? at(e.getLocation()) + problem : path + ": " + problem;
    }

    private static String problem(JsonMappingException e) {
        if (e instanceof InvalidNullException) {
            return "must not be null";
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() == Unsigned64.class) {
            return f.getValue() + " is out of range (expected 0 to " + Unsigned64.MAX + ")";
        }
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException iae) {
            return iae.getMessage();
        }
        Class<?> target = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mi
                ? mi.getTargetType() : null;
        JsonParser parser = e.getProcessor() instanceof JsonParser p ? p : null;
        JsonToken token = parser == null ? null : parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_FLOAT && isInteger(target)) {
            return "expected an integer, got " + got(parser, token);
        }
        if (target != null && token != null) {
            return "expected " + expected(target) + ", got " + got(parser, token);
        }
        return "invalid value";
    }

    private static String describeRange(InputCoercionException e) {
        JsonParser parser = e.getProcessor() instanceof JsonParser p ? p : null;
        String path = parser == null ? "" : path(parser.getParsingContext());
        return path.isEmpty() ? at(e.getLocation()) + range(e) : path + ": " + range(e);
    }

    private static String range(InputCoercionException e) {
        JsonParser parser = e.getProcessor() instanceof JsonParser p ? p : null;
        String bits = e.getTargetType() == Integer.TYPE || e.getTargetType() == Integer.class ? "32" : "64";
        return text(parser) + " is out of range (expected a " + bits + "-bit integer)";
    }

    private static String text(JsonParser parser) {
        try {
            return parser == null ? "number" : parser.getText();
        } catch (java.io.IOException ex) {
            return "number";
        }
    }

    private static boolean isInteger(Class<?> t) {
        return t == Long.class || t == Integer.class || t == Long.TYPE || t == Integer.TYPE
                || t == Short.class || t == Short.TYPE || t == java.math.BigInteger.class;
    }

    private static String expected(Class<?> t) {
        if (t == String.class || t == Character.class) {
            return "a string";
        }
        if (isInteger(t) || Number.class.isAssignableFrom(t)) {
            return "a number";
        }
        if (t == Boolean.class || t == Boolean.TYPE) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(t) || t.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String got(JsonParser p, JsonToken token) {
        return switch (token) {
            case START_OBJECT, FIELD_NAME, END_OBJECT -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_NULL -> "null";
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_STRING -> JsonPath.quote(text(p));
            default -> text(p);
        };
    }

    /** The path of a mapping error: {@code process.user.uid}, {@code linux.sysctl["a.b"]}. */
    private static String path(List<JsonMappingException.Reference> refs) {
        String path = "";
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                path = ref.getFrom() instanceof Map<?, ?> ? JsonPath.key(path, ref.getFieldName())
                        : JsonPath.field(path, ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path = JsonPath.index(path, ref.getIndex());
            }
        }
        return path;
    }

    /** The path of the value the parser stands on, from its nesting contexts. */
    private static String path(JsonStreamContext context) {
        List<JsonStreamContext> chain = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            chain.addFirst(c);
        }
        String path = "";
        for (JsonStreamContext c : chain) {
            if (c.inObject() && c.getCurrentName() != null) {
                path = JsonPath.field(path, c.getCurrentName());
            } else if (c.inArray()) {
                path = JsonPath.index(path, Math.max(c.getCurrentIndex(), 0));
            }
        }
        return path;
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return "line " + location.getLineNr() + ", column " + Math.max(location.getColumnNr(), 1) + ": ";
    }

    /** Jackson's syntax messages in our words. */
    static String syntax(String message) {
        if (message == null) {
            return "invalid JSON";
        }
        Matcher m = UNEXPECTED_CHAR.matcher(message);
        if (m.matches()) {
            String what = m.group(1).startsWith("(CTRL-CHAR") ? "control character (code " + m.group(2) + ")"
                    : "character " + m.group(1);
            return "unexpected " + what + (m.group(3) == null ? "" : " (" + expectation(m.group(3)) + ")");
        }
        if (message.startsWith("Unexpected end-of-input")) {
            return endOfInput(message);
        }
        if (message.startsWith("Unexpected close marker")) {
            return closeMarker(message);
        }
        if (message.startsWith("Unrecognized token")) {
            String token = message.replaceFirst("(?s)Unrecognized token (.*?): was expecting.*", "$1");
            return "unrecognized token " + token + " (expected a string, number, array, object, true, false or null)";
        }
        if (message.startsWith("Illegal unquoted character")) {
            return "unescaped control character in a string (write it as \\n, \\t or \\u00XX)";
        }
        if (message.startsWith("Unrecognized character escape")) {
            return "invalid escape sequence in a string";
        }
        if (message.startsWith("Invalid numeric value: ")) {
            return "invalid number: " + lowerFirst(message.substring("Invalid numeric value: ".length()));
        }
        return lowerFirst(message.replaceAll("(?s)\\s*\\(?(at )?\\[Source:.*", "").replace("`", "'"));
    }

    private static String expectation(String rest) {
        if (rest.contains("ALLOW_COMMENTS")) {
            return "comments are not allowed in JSON";
        }
        if (rest.contains("ALLOW_SINGLE_QUOTES")) {
            return "strings take double quotes";
        }
        if (rest.startsWith("was expecting double-quote to start field name")) {
            return "expected '\"' to start a field name";
        }
        if (rest.startsWith("was expecting comma to separate Object entries")) {
            return "expected ',' or '}'";
        }
        if (rest.startsWith("was expecting comma to separate Array entries")) {
            return "expected ',' or ']'";
        }
        if (rest.startsWith("was expecting a colon")) {
            return "expected ':' after a field name";
        }
        if (rest.startsWith("expected space separating root-level values")) {
            return "expected the end of the document";
        }
        String r = rest.replaceFirst("^was expecting", "expected").replaceAll("(?s)\\s*\\(.*", "");
        return lowerFirst(r);
    }

    private static String endOfInput(String message) {
        String opened = openedAt(message);
        if (message.contains("close marker for Object")) {
            return "unexpected end of input (expected '}' to close the object" + opened + ")";
        }
        if (message.contains("close marker for Array")) {
            return "unexpected end of input (expected ']' to close the array" + opened + ")";
        }
        if (message.contains("closing quote")) {
            return "unexpected end of input (expected '\"' to close a string)";
        }
        if (message.contains("in field name")) {
            return "unexpected end of input in a field name";
        }
        return "unexpected end of input";
    }

    private static String closeMarker(String message) {
        String marker = message.replaceFirst("(?s)Unexpected close marker '(.)'.*", "$1");
        String opened = openedAt(message);
        if (message.contains("expected '}'")) {
            return "unexpected '" + marker + "' (expected '}' to close the object" + opened + ")";
        }
        if (message.contains("expected ']'")) {
            return "unexpected '" + marker + "' (expected ']' to close the array" + opened + ")";
        }
        return "unexpected '" + marker + "'";
    }

    private static String openedAt(String message) {
        Matcher m = MARKER_AT.matcher(message);
        return m.find() ? " opened at line " + m.group(1) + ", column " + m.group(2) : "";
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
