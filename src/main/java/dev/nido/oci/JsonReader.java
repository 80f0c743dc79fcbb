package dev.nido.oci;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link JsonTree} as a Java type: a record by its {@link JsonCodec} or else by reflection
 * ({@link RecordModel}), {@code List<X>}, {@code Map<String, X>}, an enum ({@link EnumNames}),
 * {@code String}, {@code int}/{@code long}/{@code boolean} and their boxes, and {@code Object}
 * as plain maps, lists and scalars. JSON null is Java null (0 or false for a primitive field).
 */
final class JsonReader {
    private JsonReader() {
    }

    static Object read(JsonTree node, Type type) {
        if (node.isNull()) {
            return null;
        }
        Class<?> raw = raw(type);
        if (raw == String.class) {
            return node.asString();
        } else if (raw == Long.class || raw == long.class) {
            return node.asInt64();
        } else if (raw == Integer.class || raw == int.class) {
            return node.asInt32();
        } else if (raw == Boolean.class || raw == boolean.class) {
            return node.asBool();
        } else if (raw.isRecord()) {
            JsonCodec<?> codec = JsonCodec.of(raw);
            return codec != null ? codec.read(node) : record(node, RecordModel.of(raw));
        } else if (raw == List.class || raw == Collection.class) {
            Type element = typeArgument(type, 0);
            return raw(element) == Object.class ? plain(node, JsonTree.Kind.ARRAY, "an array")
                    : node.asList(e -> read(e, element));
        } else if (raw == Map.class && isStringOrObject(typeArgument(type, 0))) {
            Type value = typeArgument(type, 1);
            return raw(value) == Object.class ? plain(node, JsonTree.Kind.OBJECT, "an object")
                    : node.asMap(v -> read(v, value));
        } else if (raw.isEnum()) {
            return enumConstant(node, raw);
        } else if (raw == Object.class) {
            return node.asPlain();
        }
        throw new IllegalArgumentException("cannot read JSON as " + type.getTypeName());
    }

    /** Unknown members are ignored; absent ones are null (0 or false for primitives). */
    private static Object record(JsonTree node, RecordModel model) {
        node.expect(JsonTree.Kind.OBJECT, "an object");
        Object[] arguments = model.defaults();
        for (RecordModel.Property p : model.properties()) {
            JsonTree member = node.member(p.name());
            if (member != null) {
                arguments[p.index()] = read(member, p.type());
            }
        }
        try {
            return model.create(arguments);
        } catch (IllegalArgumentException e) {
            throw node.problem(e.getMessage());
        }
    }

    /** A list or map of plain values, which may hold nulls (nothing typed will). */
    private static Object plain(JsonTree node, JsonTree.Kind kind, String expected) {
        node.expect(kind, expected);
        return node.asPlain();
    }

    private static Object enumConstant(JsonTree node, Class<?> type) {
        String name = node.asString();
        try {
            return EnumNames.of(type).parse(name);
        } catch (IllegalArgumentException e) {
            throw node.problem(e.getMessage());
        }
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        } else if (type instanceof ParameterizedType pt) {
            return raw(pt.getRawType());
        } else if (type instanceof WildcardType w) {
            return raw(w.getUpperBounds()[0]);
        }
        return Object.class; // a type variable: plain maps, lists and scalars
    }

    private static boolean isStringOrObject(Type t) {
        return raw(t) == String.class || raw(t) == Object.class;
    }

    /** The {@code index}th type argument of {@code List<X>} or {@code Map<String, X>}; raw types read Object. */
    private static Type typeArgument(Type type, int index) {
        return type instanceof ParameterizedType pt ? pt.getActualTypeArguments()[index] : Object.class;
    }
}
