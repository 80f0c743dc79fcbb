package dev.nido.oci;

import java.util.List;

/** {@code linux.resources.network}: net_cls class id and net_prio priorities. */
public record Network(Long classID, List<InterfacePriority> priorities) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<Network> JSON = new JsonCodec<>() {
        @Override
        Network fromJson(JsonTree o) {
            return new Network(o.int64("classID"), o.list("priorities", InterfacePriority.JSON));
        }

        @Override
        void toJson(JsonOut out, Network r) {
            out.field("classID", r.classID()).field("priorities", r.priorities());
        }
    };

    public Network {
        priorities = Copies.list(priorities);
    }
}
