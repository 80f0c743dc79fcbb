package dev.nido.oci;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A parsed JSON value that knows where it sits in its document, so a value of the wrong type is
 * reported with its JSON path: {@code process.user.uid: expected a number, got "abc"}. Records'
 * {@link JsonCodec}s read their fields with the typed accessors below, strict like Go's
 * encoding/json: a string is not a number, 1.5 is not an integer, null is not a list element.
 * An absent member and a JSON null both read as null. Numbers keep their text until a codec says
 * what they must be (int32, int64, uint64). Built by {@link JsonParser}.
 */
final class JsonTree {
    /** What a node is. */
    enum Kind { OBJECT, ARRAY, STRING, INTEGER, DECIMAL, TRUE, FALSE, NULL }

    /** Reads one node that is not JSON null. */
    interface Reader<T> {
        T read(JsonTree node);
    }

    private final Kind kind;
    /** A string's value or a number's literal text; null otherwise. */
    private final String text;
    private final Map<String, JsonTree> members;
    private final List<JsonTree> elements;
    private final JsonTree parent;
    /** This node's name in its parent object, or null in an array or at the top. */
    private final String name;
    private final int index;
    /** Where the value starts, for problems with the document's top value (others are named by path). */
    private final int line;
    private final int column;

    /** A node; {@code text} is a string's value or a number's literal, else null. */
    JsonTree(Kind kind, String text, JsonTree parent, String name, int index, int line, int column) {
        this.kind = kind;
        this.text = text;
        this.parent = parent;
        this.name = name;
        this.index = index;
        this.line = line;
        this.column = column;
        this.members = kind == Kind.OBJECT ? new LinkedHashMap<>() : Map.of();
        this.elements = kind == Kind.ARRAY ? new ArrayList<>() : List.of();
    }

    /** Adds an object member (for the parser); a repeated name keeps the last value. */
    void add(String memberName, JsonTree value) {
        members.put(memberName, value);
    }

    /** Adds an array element (for the parser). */
    void add(JsonTree element) {
        elements.add(element);
    }

    boolean isNull() {
        return kind == Kind.NULL;
    }

    /** The member called {@code name} of this object, or null when absent or JSON null. */
    JsonTree member(String name) {
        JsonTree m = members.get(name);
        return m == null || m.isNull() ? null : m;
    }

    // Typed members of an object, for codecs: null when absent or JSON null.

    String string(String name) {
        JsonTree m = member(name);
        return m == null ? null : m.asString();
    }

    /** A string member parsed by {@code parse}, whose {@link IllegalArgumentException} says why it is not valid. */
    <T> T string(String name, Function<String, T> parse) {
        JsonTree m = member(name);
        if (m == null) {
            return null;
        }
        try {
            return parse.apply(m.asString());
        } catch (IllegalArgumentException e) {
            throw m.problem(e.getMessage());
        }
    }

    Boolean bool(String name) {
        JsonTree m = member(name);
        return m == null ? null : m.asBool();
    }

    Integer int32(String name) {
        JsonTree m = member(name);
        return m == null ? null : m.asInt32();
    }

    Long int64(String name) {
        JsonTree m = member(name);
        return m == null ? null : m.asInt64();
    }

    /** A uint64 member: 0 to 18446744073709551615, kept as the 64 bits (RLIM_INFINITY is -1L). */
    Long uint64(String name) {
        JsonTree m = member(name);
        return m == null ? null : m.asUint64();
    }

    <T> T object(String name, JsonCodec<T> codec) {
        JsonTree m = member(name);
        return m == null ? null : codec.read(m);
    }

    <T> List<T> list(String name, Reader<T> reader) {
        JsonTree m = member(name);
        return m == null ? null : m.asList(reader);
    }

    List<String> strings(String name) {
        JsonTree m = member(name);
        return m == null ? null : m.asList(null);
    }

    <T> Map<String, T> map(String name, Reader<T> reader) {
        JsonTree m = member(name);
        return m == null ? null : m.asMap(reader);
    }

    Map<String, String> stringMap(String name) {
        JsonTree m = member(name);
        return m == null ? null : m.asMap(null);
    }

    // This node as a Java value.

    String asString() {
        expect(Kind.STRING, "a string");
        return text;
    }

    Boolean asBool() {
        if (kind != Kind.TRUE && kind != Kind.FALSE) {
            throw expected("true or false");
        }
        return kind == Kind.TRUE;
    }

    Integer asInt32() {
        expectInteger();
        Long value = parsedLong();
        if (value == null || value != value.intValue()) {
            throw outOfRange("a 32-bit integer");
        }
        return value.intValue();
    }

    Long asInt64() {
        expectInteger();
        Long value = parsedLong();
        if (value == null) {
            throw outOfRange("a 64-bit integer");
        }
        return value;
    }

    /** 0 to 18446744073709551615, kept as the 64 bits. */
    Long asUint64() {
        expectInteger();
        if (text.equals("-0")) {
            return 0L;
        }
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw problem(text + " is out of range (expected 0 to " + Long.toUnsignedString(-1L) + ")");
        }
    }

    /** The elements, each read by {@code reader} (null: as strings); a null element is an error. */
    <T> List<T> asList(Reader<T> reader) {
        expect(Kind.ARRAY, "an array");
        List<T> list = new ArrayList<>(elements.size());
        for (JsonTree e : elements) {
            list.add(e.notNull(reader));
        }
        return list;
    }

    /** The members, each value read by {@code reader} (null: as strings), in document order. */
    <T> Map<String, T> asMap(Reader<T> reader) {
        expect(Kind.OBJECT, "an object");
        Map<String, T> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonTree> e : members.entrySet()) {
            map.put(e.getKey(), e.getValue().notNull(reader));
        }
        return map;
    }

    /**
     * Any JSON as plain values: {@code LinkedHashMap}, {@code ArrayList} (nulls allowed: nothing
     * typed holds them), String, Integer, Long, BigInteger, Double, Boolean or null.
     */
    Object asPlain() {
        return switch (kind) {
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<String, JsonTree> e : members.entrySet()) {
                    map.put(e.getKey(), e.getValue().asPlain());
                }
                yield map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>(elements.size());
                for (JsonTree e : elements) {
                    list.add(e.asPlain());
                }
                yield list;
            }
            case STRING -> text;
            case INTEGER -> plainInteger();
            case DECIMAL -> Double.parseDouble(text);
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case NULL -> null;
        };
    }

    private Object plainInteger() {
        Long value = parsedLong();
        if (value == null) {
            return new BigInteger(text);
        }
        return value == value.intValue() ? (Object) value.intValue() : value;
    }

    /** Reads this list element or map value; null there would only crash a record later. */
    @SuppressWarnings("unchecked")
    private <T> T notNull(Reader<T> reader) {
        if (isNull()) {
            throw problem("must not be null");
        }
        return reader == null ? (T) asString() : reader.read(this);
    }

    // Problems, named by JSON path (or, for the top value, by line and column).

    void expect(Kind expected, String description) {
        if (kind != expected) {
            throw expected(description);
        }
    }

    private void expectInteger() {
        if (kind == Kind.DECIMAL) {
            throw expected("an integer");
        }
        expect(Kind.INTEGER, "a number");
    }

    /** This integer's value, or null when it does not fit 64 bits. */
    private Long parsedLong() {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    JsonProblem expected(String description) {
        return problem("expected " + description + ", got " + got());
    }

    private JsonProblem outOfRange(String expected) {
        return problem(text + " is out of range (expected " + expected + ")");
    }

    /** A problem with this value: {@code process.user.uid: ...}, or {@code line 1, column 1: ...} at the top. */
    JsonProblem problem(String problem) {
        if (parent == null) {
            return JsonProblem.at(line, column, problem);
        }
        return new JsonProblem(path() + ": " + problem);
    }

    /** What this value is, as a message shows it: {@code an object}, {@code "abc"}, {@code 1.5}. */
    private String got() {
        return switch (kind) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> JsonPath.quote(text);
            case INTEGER, DECIMAL -> text;
            case TRUE -> "true";
            case FALSE -> "false";
            case NULL -> "null";
        };
    }

    /** {@code linux.sysctl["net.ipv4.ip_forward"]}, {@code process.args[1]}; empty at the top. */
    private String path() {
        if (parent == null) {
            return "";
        }
        return name != null ? JsonPath.key(parent.path(), name) : JsonPath.index(parent.path(), index);
    }
}
