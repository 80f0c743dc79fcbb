package dev.nido.oci;

import java.util.List;

/** One of {@code mounts}. Options are fstab-style; see {@link Mounts#parse(List)}. */
public record Mount(
        String destination,
        String type,
        String source,
        List<String> options,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<Mount> JSON = new JsonCodec<>() {
        @Override
        Mount fromJson(JsonTree o) {
            return new Mount(
                    o.string("destination"),
                    o.string("type"),
                    o.string("source"),
                    o.strings("options"),
                    o.list("uidMappings", IdMapping.JSON),
                    o.list("gidMappings", IdMapping.JSON));
        }

        @Override
        void toJson(JsonOut out, Mount r) {
            out.field("destination", r.destination())
                    .field("type", r.type())
                    .field("source", r.source())
                    .field("options", r.options())
                    .field("uidMappings", r.uidMappings())
                    .field("gidMappings", r.gidMappings());
        }
    };

    public Mount {
        options = Copies.list(options);
        uidMappings = Copies.list(uidMappings);
        gidMappings = Copies.list(gidMappings);
    }

    /** A mount without id-mapping. */
    public static Mount of(String destination, String type, String source, List<String> options) {
        return new Mount(destination, type, source, options, null, null);
    }

    public Mount withDestination(String newDestination) {
        return new Mount(newDestination, type, source, options, uidMappings, gidMappings);
    }

    public Mount withOptions(List<String> newOptions) {
        return new Mount(destination, type, source, newOptions, uidMappings, gidMappings);
    }
}
