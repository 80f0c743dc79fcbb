package dev.nido.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSON codec itself: parser, writer, and the reflective binding of records without a codec. */
class JsonTest {
    /** A record of another package's kind: no codec, bound by reflection. */
    record Sample(String name, int count, long size, boolean flag, Color color, Map<String, Integer> sizes,
                  List<Part> parts, Map<String, Object> extra) {
    }

    record Part(String id, Long weight) {
    }

    enum Color { RED, GREEN }

    @Test
    void recordsWithoutACodecAreBoundByTheirComponents() {
        Sample s = new Sample("a", 3, 1L << 40, true, Color.GREEN, Map.of("x", 1), List.of(new Part("p", null)),
                null);
        String json = text(Json.writeCompact(s));
        assertThat(json).isEqualTo("{\"name\":\"a\",\"count\":3,\"size\":1099511627776,\"flag\":true,"
                + "\"color\":\"GREEN\",\"sizes\":{\"x\":1},\"parts\":[{\"id\":\"p\"}]}");
        assertThat(Json.read(bytes(json), Sample.class, "s")).isEqualTo(s);
    }

    @Test
    void absentPrimitivesAreZeroAndUnknownFieldsAreSkipped() {
        Sample s = Json.read(bytes("{\"name\": \"a\", \"count\": null, \"future\": [1, {}]}"), Sample.class, "s");
        assertThat(s).isEqualTo(new Sample("a", 0, 0L, false, null, null, null, null));
    }

    @Test
    void reflectiveBindingReportsPathsToo() {
        assertThatThrownBy(() -> Json.read(bytes("{\"color\": \"BLUE\"}"), Sample.class, "s.json"))
                .hasMessage("s.json: color: unknown value \"BLUE\" (expected one of RED, GREEN)");
        assertThatThrownBy(() -> Json.read(bytes("{\"parts\": [{\"weight\": true}]}"), Sample.class, "s.json"))
                .hasMessage("s.json: parts[0].weight: expected a number, got true");
        assertThatThrownBy(() -> Json.read(bytes("{\"sizes\": {\"a.b\": 1.5}}"), Sample.class, "s.json"))
                .hasMessage("s.json: sizes[\"a.b\"]: expected an integer, got 1.5");
    }

    @Test
    void plainValuesKeepTheirShapeAndMayHoldNulls() {
        Object value = Json.read(bytes("{\"a\": [1, 2.5, null, {\"b\": 12345678901}], \"c\": 99999999999999999999}"),
                Map.class, "x");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", java.util.Arrays.asList(1, 2.5, null, Map.of("b", 12345678901L)));
        expected.put("c", new java.math.BigInteger("99999999999999999999"));
        assertThat(value).isEqualTo(expected);
    }

    @Test
    void stringsAreUnescapedAndEscaped() {
        String json = "\uFEFF{\"s\": \"tab\\t nl\\n q\\\" bs\\\\ sl\\/ \\u00e9 \\ud83d\\ude00 \\u0001\"}";
        Map<?, ?> m = Json.read(bytes(json), Map.class, "x");
        String s = (String) m.get("s");
        assertThat(s).isEqualTo("tab\t nl\n q\" bs\\ sl/ \u00e9 \ud83d\ude00 \u0001");
        assertThat(text(Json.writeCompact(Map.of("s", s))))
                .isEqualTo("{\"s\":\"tab\\t nl\\n q\\\" bs\\\\ sl/ \u00e9 \ud83d\ude00 \\u0001\"}");
    }

    @Test
    void prettyOutputIsGoStyle() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", List.of());
        m.put("b", Map.of());
        m.put("gone", null);
        m.put("c", List.of(1, Map.of("d", true)));
        assertThat(text(Json.writePretty(m, "  "))).isEqualTo("""
                {
                  "a": [],
                  "b": {},
                  "c": [
                    1,
                    {
                      "d": true
                    }
                  ]
                }
                """);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"a\": \"x\\q\"}         | line 1, column 9: invalid escape sequence in a string",
        "{\"a\": \"\\u12\"}        | line 1, column 12: invalid escape sequence in a string (\\u takes four hex digits)",
        "{\"a\": \"abc             | line 1, column 11: unexpected end of input (expected '\"' to close a string)",
        "{\"a\": -x}               | line 1, column 8: invalid number: expected a digit after '-'",
        "{\"a\": 1.}               | line 1, column 9: invalid number: expected a digit after the decimal point",
        "{\"a\": 1e+}              | line 1, column 10: invalid number: expected a digit in the exponent",
        "{\"a\": 'x'}              | line 1, column 7: unexpected character ''' (strings take double quotes)",
        "{\"a\": [1 2]}            | line 1, column 10: unexpected character '2' (expected ',' or ']')",
        "{\"a\": {\"b\": 1]}       | line 1, column 14: unexpected ']' (expected '}' to close the object opened at line 1, column 7)",
        "{\"a\":\\r\\n\\r\\n @}    | line 3, column 2: unexpected character '@' (expected a value)",
        "{\"a\": \"x\\ty\"}        | line 1, column 9: unescaped control character in a string (write it as \\n, \\t or \\u00XX)",
        "{\"a\": 1}}               | line 1, column 9: unexpected data after the end of the JSON document",
    })
    void syntaxErrors(String json, String message) {
        String input = json.strip().replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
        assertThatThrownBy(() -> Json.read(bytes(input), Map.class, "x.json")).hasMessage("x.json: " + message);
    }

    @Test
    void deepNestingAndBrokenUtf8AreRefused() {
        assertThatThrownBy(() -> Json.read(bytes("[".repeat(1001)), List.class, "x.json"))
                .hasMessage("x.json: line 1, column 1001: nested too deeply (more than 1000 levels)");
        byte[] latin1 = {'{', '"', 'a', '"', ':', '"', (byte) 0xe9, '"', '}'};
        assertThatThrownBy(() -> Json.read(latin1, Map.class, "x.json"))
                .hasMessage("x.json: not UTF-8 text (JSON must be UTF-8)");
    }

    /** A spec record without a codec would be written by reflection, in the wrong shape: none may lack one. */
    @Test
    void everySpecRecordHasACodec() {
        Set<Class<?>> seen = new HashSet<>();
        Deque<Type> todo = new ArrayDeque<>(List.of(RuntimeSpec.class, State.class, Features.class));
        while (!todo.isEmpty()) {
            Type t = todo.pop();
            if (t instanceof ParameterizedType p) {
                todo.addAll(List.of(p.getActualTypeArguments()));
            } else if (t instanceof Class<?> c && c.isRecord() && seen.add(c)) {
                assertThat(JsonCodec.of(c)).as(c.getName()).isNotNull();
                for (RecordComponent rc : c.getRecordComponents()) {
                    todo.add(rc.getGenericType());
                }
            }
        }
        assertThat(seen).hasSizeGreaterThan(40);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }
}
