package dev.nido.oci;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * Writes Java values as JSON: records (by their {@link JsonCodec}, else by reflection in
 * component order), maps, collections, enums ({@link EnumNames}), strings, numbers and booleans.
 * A record field that is null or an empty list or map is left out, so a spec written back is as
 * small as the one read; a null map value is left out too. Compact, or indented as Go's
 * {@code json.MarshalIndent} does: {@code "key": value}, one array element a line, {@code []}.
 */
final class JsonOut {
    private static final String HEX = "0123456789ABCDEF";
    private final StringBuilder out = new StringBuilder(4096);
    /** One level of indentation, or null for compact output. */
    private final String indent;
    private int depth;
    /** Whether the object or array being written has no entry yet. */
    private boolean empty;

    JsonOut(String indent) {
        this.indent = indent;
    }

    byte[] toBytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Ends the document with a newline, as {@code runc spec} does. */
    JsonOut newLine() {
        out.append('\n');
        return this;
    }

    /** A record field, unless null or an empty list or map (the spec reads those alike). */
    JsonOut field(String name, Object value) {
        if (!isAbsent(value)) {
            name(name);
            value(value);
        }
        return this;
    }

    /** A field holding uint64 bits: -1L is written 18446744073709551615. */
    JsonOut uint64(String name, Long value) {
        if (value != null) {
            name(name);
            out.append(Long.toUnsignedString(value));
        }
        return this;
    }

    void value(Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s);
        } else if (value instanceof Record r) {
            record(r);
        } else if (value instanceof Collection<?> c) {
            array(c);
        } else if (value instanceof Map<?, ?> m) {
            object(m);
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            out.append(Double.isFinite(d) ? String.valueOf(value) : "\"" + value + "\"");
        } else if (value instanceof Number n) {
            out.append(n);
        } else if (value instanceof Enum<?> e) {
            string(EnumNames.jsonName(e));
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    @SuppressWarnings("unchecked")
    private void record(Record r) {
        open('{');
        JsonCodec<Record> codec = (JsonCodec<Record>) JsonCodec.of(r.getClass());
        if (codec != null) {
            codec.toJson(this, r);
        } else {
            for (RecordModel.Property p : RecordModel.of(r.getClass()).properties()) {
                field(p.name(), p.valueOf(r));
            }
        }
        close('}');
    }

    private void array(Collection<?> values) {
        open('[');
        for (Object value : values) {
            entry();
            value(value);
        }
        close(']');
    }

    private void object(Map<?, ?> map) {
        open('{');
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() != null) {
                name(e.getKey() instanceof Enum<?> k ? EnumNames.jsonName(k) : String.valueOf(e.getKey()));
                value(e.getValue());
            }
        }
        close('}');
    }

    private void name(String name) {
        entry();
        string(name);
        out.append(indent == null ? ":" : ": ");
    }

    private void open(char bracket) {
        out.append(bracket);
        depth++;
        empty = true;
    }

    /** Before an array element or object member: a comma after the previous one, then a new line. */
    private void entry() {
        if (!empty) {
            out.append(',');
        }
        empty = false;
        lineBreak();
    }

    private void close(char bracket) {
        depth--;
        if (!empty) {
            lineBreak();
        }
        empty = false;
        out.append(bracket);
    }

    private void lineBreak() {
        if (indent != null) {
            out.append('\n');
            for (int i = 0; i < depth; i++) {
                out.append(indent);
            }
        }
    }

    /** A JSON string: quotes, backslashes and control characters escaped, the rest as is. */
    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 15));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Null and empty collections mean the same in the spec: write neither. */
    private static boolean isAbsent(Object value) {
        return value == null
                || value instanceof Collection<?> c && c.isEmpty()
                || value instanceof Map<?, ?> m && m.isEmpty();
    }
}
