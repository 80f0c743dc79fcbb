package dev.nido.oci;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * A record without a {@link JsonCodec}, bound by reflection: one JSON field per component, named
 * and written in declaration order. Correct for any simple record, but not free on a cold start:
 * reflective calls spin method-handle classes that the AOT cache cannot keep (~2 ms to write and
 * ~12 ms to read one 11-field record, ~30 ms more if nothing has spun any yet). That is why the
 * spec's records have codecs.
 */
final class RecordModel {
    private static final ClassValue<RecordModel> MODELS = new ClassValue<>() {
        @Override
        protected RecordModel computeValue(Class<?> type) {
            return new RecordModel(type);
        }
    };

    /** One component as a JSON field; {@code index} is its position in the canonical constructor. */
    record Property(String name, int index, Type type, Method accessor) {
        Object valueOf(Object record) {
            try {
                return accessor.invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + accessor, e);
            }
        }
    }

    private final Class<?> type;
    private final List<Property> properties = new ArrayList<>();
    private final Object[] defaults;
    private final Constructor<?> constructor;

    private RecordModel(Class<?> type) {
        this.type = type;
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] parameterTypes = new Class<?>[components.length];
        defaults = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            parameterTypes[i] = c.getType();
            defaults[i] = c.getType().isPrimitive() ? Array.get(Array.newInstance(c.getType(), 1), 0) : null;
            Method accessor = c.getAccessor();
            accessor.setAccessible(true);
            properties.add(new Property(c.getName(), i, c.getGenericType(), accessor));
        }
        try {
            constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getName() + " has no canonical constructor", e);
        }
    }

    static RecordModel of(Class<?> recordType) {
        return MODELS.get(recordType);
    }

    List<Property> properties() {
        return properties;
    }

    /** Constructor arguments for absent fields: null, or 0 and false for primitives. */
    Object[] defaults() {
        return defaults.clone();
    }

    /**
     * A new record. The constructor's own {@link IllegalArgumentException} passes through: its
     * message says what is wrong with the value.
     */
    Object create(Object[] arguments) {
        try {
            return constructor.newInstance(arguments);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot create " + type.getName() + ": " + e.getMessage(), e);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot create " + type.getName(), e.getCause());
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot create " + type.getName(), e);
        }
    }
}
