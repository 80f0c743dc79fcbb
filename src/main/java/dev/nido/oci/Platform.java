package dev.nido.oci;

import java.util.List;

/** image-spec platform: what an image in an index runs on ({@code linux/amd64}, {@code linux/arm64/v8}). */
public record Platform(String architecture, String os, String osVersion, List<String> osFeatures, String variant) {
    /** Its JSON (see {@link JsonCodec}). */
    static final JsonCodec<Platform> JSON = new JsonCodec<>() {
        @Override
        Platform fromJson(JsonTree o) {
            return new Platform(o.string("architecture"), o.string("os"), o.string("os.version"),
                    o.strings("os.features"), o.string("variant"));
        }

        @Override
        void toJson(JsonOut out, Platform r) {
            out.field("architecture", r.architecture()).field("os", r.os()).field("os.version", r.osVersion())
                    .field("os.features", r.osFeatures()).field("variant", r.variant());
        }
    };

    public Platform {
        osFeatures = Copies.list(osFeatures);
    }

    /** {@code os/arch[/variant]}, e.g. {@code linux/arm64/v8}. */
    public static Platform parse(String text) {
        String[] p = text.split("/");
        if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty()) {
            throw new IllegalArgumentException("platform \"" + text + "\": expected OS/ARCH[/VARIANT], e.g. linux/amd64");
        }
        return new Platform(p[1], p[0], null, List.of(), p.length == 3 ? p[2] : null);
    }

    /** This machine's platform in Go's names (amd64, arm64), as registries use them. */
    public static Platform host() {
        String arch = System.getProperty("os.arch");
        String goArch = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
        return new Platform(goArch, "linux", null, List.of(), null);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }
}
