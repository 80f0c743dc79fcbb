package dev.nido.oci;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON names of an enum's constants. An enum with a no-argument {@code jsonName()} method is
 * written by it ({@code "running"}, {@code "network"}); otherwise by its constant names. It is read
 * through its static {@code of(String)} when it has one (whose {@link IllegalArgumentException}
 * message is shown to the user), else by looking the name up.
 */
final class EnumNames {
    private static final ClassValue<EnumNames> NAMES = new ClassValue<>() {
        @Override
        protected EnumNames computeValue(Class<?> type) {
            return new EnumNames(type);
        }
    };

    private final Map<Object, String> names = new LinkedHashMap<>();
    private final Map<String, Object> constants = new LinkedHashMap<>();
    private final Method of;

    private EnumNames(Class<?> type) {
        Method jsonName = method(type, "jsonName");
        for (Object constant : type.getEnumConstants()) {
            String name = jsonName == null ? ((Enum<?>) constant).name() : (String) invoke(jsonName, constant);
            names.put(constant, name);
            constants.put(name, constant);
        }
        Method parse = method(type, "of", String.class);
        of = parse != null && Modifier.isStatic(parse.getModifiers()) && parse.getReturnType() == type ? parse : null;
    }

    static EnumNames of(Class<?> enumType) {
        return NAMES.get(enumType);
    }

    /** The JSON name of a constant. */
    static String jsonName(Enum<?> constant) {
        return of(constant.getDeclaringClass()).names.get(constant);
    }

    /** The constant with this JSON name; an {@link IllegalArgumentException} says why there is none. */
    Object parse(String name) {
        if (of != null) {
            return invoke(of, null, name);
        }
        Object constant = constants.get(name);
        if (constant == null) {
            throw new IllegalArgumentException("unknown value " + JsonPath.quote(name) + " (expected one of "
                    + String.join(", ", constants.keySet()) + ")");
        }
        return constant;
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            Method m = type.getMethod(name, parameters);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Object invoke(Method m, Object target, Object... arguments) {
        try {
            return m.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot call " + m, e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + m, e);
        }
    }
}
