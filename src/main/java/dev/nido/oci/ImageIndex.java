package dev.nido.oci;

import java.util.List;
import java.util.Map;

/** image-spec index (also a Docker manifest list): manifests, one per platform. */
public record ImageIndex(Integer schemaVersion, String mediaType, String artifactType, List<Descriptor> manifests,
                         Descriptor subject, Map<String, String> annotations) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<ImageIndex> JSON = new JsonCodec<>() {
        @Override
        ImageIndex fromJson(JsonTree o) {
            return new ImageIndex(o.int32("schemaVersion"), o.string("mediaType"), o.string("artifactType"),
                    o.list("manifests", Descriptor.JSON), o.object("subject", Descriptor.JSON),
                    o.stringMap("annotations"));
        }

        @Override
        void toJson(JsonOut out, ImageIndex r) {
            out.field("schemaVersion", r.schemaVersion()).field("mediaType", r.mediaType())
                    .field("artifactType", r.artifactType()).field("manifests", r.manifests())
                    .field("subject", r.subject()).field("annotations", r.annotations());
        }
    };

    public ImageIndex {
        manifests = Copies.list(manifests);
        annotations = Copies.map(annotations);
    }

    public static ImageIndex oci(List<Descriptor> manifests) {
        return new ImageIndex(2, MediaTypes.OCI_INDEX, null, manifests, null, null);
    }
}
