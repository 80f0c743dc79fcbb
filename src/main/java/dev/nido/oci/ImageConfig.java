package dev.nido.oci;

import java.util.List;

/**
 * image-spec image configuration: the platform, the defaults for a container ({@link ContainerConfig})
 * and the layers' uncompressed digests ({@code rootfs.diff_ids}).
 */
public record ImageConfig(String created, String author, String architecture, String os, String variant,
                          ContainerConfig config, RootFs rootfs, List<History> history) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<ImageConfig> JSON = new JsonCodec<>() {
        @Override
        ImageConfig fromJson(JsonTree o) {
            return new ImageConfig(o.string("created"), o.string("author"), o.string("architecture"), o.string("os"),
                    o.string("variant"), o.object("config", ContainerConfig.JSON), o.object("rootfs", RootFs.JSON),
                    o.list("history", History.JSON));
        }

        @Override
        void toJson(JsonOut out, ImageConfig r) {
            out.field("created", r.created()).field("author", r.author()).field("architecture", r.architecture())
                    .field("os", r.os()).field("variant", r.variant()).field("config", r.config())
                    .field("rootfs", r.rootfs()).field("history", r.history());
        }
    };

    public ImageConfig {
        history = Copies.list(history);
    }

    /** The layers' DiffIDs, never null. */
    public List<String> diffIds() {
        return rootfs == null ? List.of() : rootfs.diffIds();
    }

    /** {@code rootfs}: "layers" and the uncompressed digest of each layer, base first. */
    public record RootFs(String type, List<String> diffIds) {
        static final JsonCodec<RootFs> JSON = new JsonCodec<>() {
            @Override
            RootFs fromJson(JsonTree o) {
                return new RootFs(o.string("type"), o.strings("diff_ids"));
            }

            @Override
            void toJson(JsonOut out, RootFs r) {
                out.field("type", r.type()).field("diff_ids", r.diffIds());
            }
        };

        public RootFs {
            diffIds = Copies.list(diffIds);
        }
    }

    /** One {@code history} entry: which step made a layer (or none: {@code empty_layer}). */
    public record History(String created, String createdBy, String author, String comment, Boolean emptyLayer) {
        static final JsonCodec<History> JSON = new JsonCodec<>() {
            @Override
            History fromJson(JsonTree o) {
                return new History(o.string("created"), o.string("created_by"), o.string("author"),
                        o.string("comment"), o.bool("empty_layer"));
            }

            @Override
            void toJson(JsonOut out, History r) {
                out.field("created", r.created()).field("created_by", r.createdBy()).field("author", r.author())
                        .field("comment", r.comment()).field("empty_layer", r.emptyLayer());
            }
        };
    }
}
