package dev.nido.oci;

import java.util.List;

/** {@code process.capabilities}: the five sets, each a list of {@code CAP_*} names. */
public record Capabilities(
        List<String> bounding,
        List<String> effective,
        List<String> inheritable,
        List<String> permitted,
        List<String> ambient) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<Capabilities> JSON = new JsonCodec<>() {
        @Override
        Capabilities fromJson(JsonTree o) {
            return new Capabilities(
                    o.strings("bounding"),
                    o.strings("effective"),
                    o.strings("inheritable"),
                    o.strings("permitted"),
                    o.strings("ambient"));
        }

        @Override
        void toJson(JsonOut out, Capabilities r) {
            out.field("bounding", r.bounding())
                    .field("effective", r.effective())
                    .field("inheritable", r.inheritable())
                    .field("permitted", r.permitted())
                    .field("ambient", r.ambient());
        }
    };

    public Capabilities {
        bounding = Copies.list(bounding);
        effective = Copies.list(effective);
        inheritable = Copies.list(inheritable);
        permitted = Copies.list(permitted);
        ambient = Copies.list(ambient);
    }
}
