package dev.nido.oci;

import java.util.List;

/** {@code hooks}: commands run at each lifecycle point ({@code prestart} is deprecated but honoured). */
public record Hooks(
        List<Hook> prestart,
        List<Hook> createRuntime,
        List<Hook> createContainer,
        List<Hook> startContainer,
        List<Hook> poststart,
        List<Hook> poststop) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<Hooks> JSON = new JsonCodec<>() {
        @Override
        Hooks fromJson(JsonTree o) {
            return new Hooks(
                    o.list("prestart", Hook.JSON),
                    o.list("createRuntime", Hook.JSON),
                    o.list("createContainer", Hook.JSON),
                    o.list("startContainer", Hook.JSON),
                    o.list("poststart", Hook.JSON),
                    o.list("poststop", Hook.JSON));
        }

        @Override
        void toJson(JsonOut out, Hooks r) {
            out.field("prestart", r.prestart())
                    .field("createRuntime", r.createRuntime())
                    .field("createContainer", r.createContainer())
                    .field("startContainer", r.startContainer())
                    .field("poststart", r.poststart())
                    .field("poststop", r.poststop());
        }
    };

    /** The JSON names of the hook points, in lifecycle order. */
    public static final List<String> NAMES =
            List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");

    public Hooks {
        prestart = Copies.list(prestart);
        createRuntime = Copies.list(createRuntime);
        createContainer = Copies.list(createContainer);
        startContainer = Copies.list(startContainer);
        poststart = Copies.list(poststart);
        poststop = Copies.list(poststop);
    }

    /** The hooks of one point by its JSON name ({@link #NAMES}). */
    public List<Hook> at(String name) {
        return switch (name) {
            case "prestart" -> prestart;
            case "createRuntime" -> createRuntime;
            case "createContainer" -> createContainer;
            case "startContainer" -> startContainer;
            case "poststart" -> poststart;
            case "poststop" -> poststop;
            default -> throw new IllegalArgumentException("unknown hook point \"" + name + "\"");
        };
    }
}
