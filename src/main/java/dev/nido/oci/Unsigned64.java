package dev.nido.oci;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigInteger;

/**
 * Marks a {@code Long} that holds a JSON uint64 (rlimits, seccomp argument values, cgroup shares):
 * it accepts 0 to 18446744073709551615 and keeps the 64 bits, so {@code RLIM_INFINITY} reads as -1L
 * and writes back as 18446744073709551615. Compare such values with {@link Long#compareUnsigned}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
@JacksonAnnotationsInside
@JsonSerialize(using = Unsigned64.Writer.class)
@JsonDeserialize(using = Unsigned64.Reader.class)
@interface Unsigned64 {
    /** The largest uint64, as JSON writes it. */
    BigInteger MAX = new BigInteger("18446744073709551615");

    /** Writes the 64 bits as an unsigned decimal number. */
    final class Writer extends StdScalarSerializer<Long> {
        private static final long serialVersionUID = 1L;

        public Writer() {
            super(Long.class);
        }

        @Override
        public void serialize(Long value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value >= 0) {
                gen.writeNumber(value);
            } else {
                gen.writeNumber(new BigInteger(Long.toUnsignedString(value)));
            }
        }
    }

    /** Reads an integer in uint64 range; anything else is reported with its JSON path. */
    final class Reader extends StdScalarDeserializer<Long> {
        private static final long serialVersionUID = 1L;

        public Reader() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                return (Long) ctxt.handleUnexpectedToken(Long.class, p);
            }
            BigInteger value = p.getBigIntegerValue();
            if (value.signum() < 0 || value.compareTo(MAX) > 0) {
                throw InvalidFormatException.from(p, "out of uint64 range", value, Unsigned64.class);
            }
            return value.longValue();
        }
    }
}
