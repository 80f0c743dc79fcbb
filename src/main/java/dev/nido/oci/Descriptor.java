package dev.nido.oci;

import java.util.List;
import java.util.Map;

/** image-spec descriptor: content by media type, digest and size. */
public record Descriptor(String mediaType, String digest, Long size, List<String> urls,
                         Map<String, String> annotations, Platform platform, String artifactType) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<Descriptor> JSON = new JsonCodec<>() {
        @Override
        Descriptor fromJson(JsonTree o) {
            return new Descriptor(o.string("mediaType"), o.string("digest"), o.int64("size"), o.strings("urls"),
                    o.stringMap("annotations"), o.object("platform", Platform.JSON), o.string("artifactType"));
        }

        @Override
        void toJson(JsonOut out, Descriptor r) {
            out.field("mediaType", r.mediaType()).field("digest", r.digest()).field("size", r.size())
                    .field("urls", r.urls()).field("annotations", r.annotations()).field("platform", r.platform())
                    .field("artifactType", r.artifactType());
        }
    };

    public Descriptor {
        urls = Copies.list(urls);
        annotations = Copies.map(annotations);
    }

    public static Descriptor of(String mediaType, String digest, long size) {
        return new Descriptor(mediaType, digest, size, List.of(), Map.of(), null, null);
    }

    public Descriptor withAnnotations(Map<String, String> a) {
        return new Descriptor(mediaType, digest, size, urls, a, platform, artifactType);
    }

    public Descriptor withPlatform(Platform p) {
        return new Descriptor(mediaType, digest, size, urls, annotations, p, artifactType);
    }
}
