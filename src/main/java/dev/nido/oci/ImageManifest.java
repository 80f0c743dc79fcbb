package dev.nido.oci;

import java.util.List;
import java.util.Map;

/** image-spec manifest (also Docker schema 2, which has the same shape): a config and layers. */
public record ImageManifest(Integer schemaVersion, String mediaType, String artifactType, Descriptor config,
                            List<Descriptor> layers, Descriptor subject, Map<String, String> annotations) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<ImageManifest> JSON = new JsonCodec<>() {
        @Override
        ImageManifest fromJson(JsonTree o) {
            return new ImageManifest(o.int32("schemaVersion"), o.string("mediaType"), o.string("artifactType"),
                    o.object("config", Descriptor.JSON), o.list("layers", Descriptor.JSON),
                    o.object("subject", Descriptor.JSON), o.stringMap("annotations"));
        }

        @Override
        void toJson(JsonOut out, ImageManifest r) {
            out.field("schemaVersion", r.schemaVersion()).field("mediaType", r.mediaType())
                    .field("artifactType", r.artifactType()).field("config", r.config()).field("layers", r.layers())
                    .field("subject", r.subject()).field("annotations", r.annotations());
        }
    };

    public ImageManifest {
        layers = Copies.list(layers);
        annotations = Copies.map(annotations);
    }

    public static ImageManifest oci(Descriptor config, List<Descriptor> layers, Map<String, String> annotations) {
        return new ImageManifest(2, MediaTypes.OCI_MANIFEST, null, config, layers, null, annotations);
    }
}
