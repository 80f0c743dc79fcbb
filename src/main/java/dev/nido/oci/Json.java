package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The JSON codec of the spec layer. One lazily built mapper, strict about types (a string is not
 * a number, 1.5 is not an integer), tolerant of unknown fields (specs carry extensions), and
 * never writing nulls or empty lists, so a spec written back is as small as the one read.
 */
public final class Json {
    private Json() {
    }

    /** The mapper and the pretty writer, built on first use only (start-up time matters). */
    private static final class Holder {
        static final ObjectMapper MAPPER = build();
    }

    static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    private static ObjectMapper build() {
        JsonFactory factory = JsonFactory.builder()
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        JsonInclude.Value nonEmpty = JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, null);
        ObjectMapper mapper = JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                // null inside a list or map is an error with a path, not a crash in a record
                .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
                .build();
        // An absent list and an empty one mean the same in the spec: write neither.
        mapper.configOverride(List.class).setIncludeAsProperty(nonEmpty);
        mapper.configOverride(Map.class).setIncludeAsProperty(nonEmpty);
        // Go reads a number or a boolean where a string belongs as an error; so do we
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /** One line, no spaces: for files the runtime keeps and for pipes to hooks. */
    public static byte[] writeCompact(Object value) {
        try {
            return mapper().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Indented with tabs, {@code "key": value}, a trailing newline: what {@code runc spec} writes. */
    public static byte[] writePretty(Object value) {
        return writePretty(value, "\t");
    }

    /** As {@link #writePretty(Object)} with the given indent (runc's {@code state} uses two spaces). */
    public static byte[] writePretty(Object value, String indent) {
        try {
            byte[] body = mapper().writer(new GoStylePrinter(indent)).writeValueAsBytes(value);
            byte[] out = java.util.Arrays.copyOf(body, body.length + 1);
            out[body.length] = '\n';
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Reads {@code json} as {@code type}. Any problem becomes a {@link SpecException} whose message
     * names {@code sourceName} and the JSON path or line and column, never a Java class.
     */
    public static <T> T read(byte[] json, Class<T> type, String sourceName) {
        try {
            T value = mapper().readValue(json, type);
            if (value == null) {
                throw new SpecException(sourceName + ": expected a JSON object, got null");
            }
            return value;
        } catch (JacksonException e) {
            throw new SpecException(sourceName + ": " + JsonErrors.describe(e));
        } catch (IOException e) {
            throw new SpecException(sourceName + ": cannot read: " + e.getMessage());
        }
    }

    /** Go's {@code json.MarshalIndent} layout: {@code "key": value}, one array element a line, {@code []}. */
    private static final class GoStylePrinter extends DefaultPrettyPrinter {
        private static final long serialVersionUID = 1L;

        GoStylePrinter(String indent) {
            super(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
            DefaultIndenter indenter = new DefaultIndenter(indent, "\n");
            indentObjectsWith(indenter);
            indentArraysWith(indenter);
        }

        private GoStylePrinter(GoStylePrinter base) {
            super(base);
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new GoStylePrinter(this);
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            if (nrOfValues == 0) {
                _nesting--;
                g.writeRaw(']');
                return;
            }
            super.writeEndArray(g, nrOfValues);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
            if (nrOfEntries == 0) {
                _nesting--;
                g.writeRaw('}');
                return;
            }
            super.writeEndObject(g, nrOfEntries);
        }
    }
}
