package dev.nido.oci;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * The JSON of one record type, written out by hand: which members it reads, and which fields it
 * writes in which order (runc's), with which names and number ranges. A record declares one as
 * {@code static final JsonCodec<X> JSON}; the codec finds it there. Records without one are
 * bound by reflection ({@link RecordModel}).
 *
 * <p>Why by hand: binding by reflection calls each record's canonical constructor through
 * {@link java.lang.reflect.Constructor#newInstance}, which spins method-handle classes for every
 * constructor shape on first use; the JDK's AOT cache cannot keep them, so every
 * {@code nido-runtime} start paid ~50 ms for them. These codecs are plain code.
 */
abstract class JsonCodec<T> implements JsonTree.Reader<T> {
    private static final ClassValue<JsonCodec<?>> CODECS = new ClassValue<>() {
        @Override
        protected JsonCodec<?> computeValue(Class<?> type) {
            return find(type);
        }
    };

    /** The record from the members of an object (absent members read as null). */
    abstract T fromJson(JsonTree object);

    /** Writes the record's fields ({@link JsonOut#field} leaves out nulls and empty lists). */
    abstract void toJson(JsonOut out, T value);

    /** Reads an object; a record constructor's {@link IllegalArgumentException} is reported at it. */
    @Override
    public final T read(JsonTree node) {
        node.expect(JsonTree.Kind.OBJECT, "an object");
        try {
            return fromJson(node);
        } catch (IllegalArgumentException e) {
            throw node.problem(e.getMessage());
        }
    }

    /** The codec a record class declares, or null. */
    static JsonCodec<?> of(Class<?> type) {
        return CODECS.get(type);
    }

    private static JsonCodec<?> find(Class<?> type) {
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == JsonCodec.class) {
                try {
                    f.setAccessible(true);
                    return (JsonCodec<?>) f.get(null);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + f, e);
                }
            }
        }
        return null;
    }
}
