package dev.nido.oci;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A container's state as {@code nido-runtime state} prints it and hooks read it on stdin: the
 * runtime-spec's fields plus runc's {@code rootfs}, {@code created} (RFC 3339) and {@code owner},
 * in runc's order. {@code pid} is 0 when there is no process.
 */
public record State(
        String ociVersion,
        String id,
        Status status,
        int pid,
        String bundle,
        Map<String, String> annotations,
        String rootfs,
        String created,
        String owner) {
    /** Its JSON, fields in runc's order; {@code pid} is always written, 0 included. */
    static final JsonCodec<State> JSON = new JsonCodec<>() {
        @Override
        State fromJson(JsonTree o) {
            return new State(
                    o.string("ociVersion"),
                    o.string("id"),
                    o.string("status", Status::of),
                    Objects.requireNonNullElse(o.int32("pid"), 0),
                    o.string("bundle"),
                    o.stringMap("annotations"),
                    o.string("rootfs"),
                    o.string("created"),
                    o.string("owner"));
        }

        @Override
        void toJson(JsonOut out, State r) {
            out.field("ociVersion", r.ociVersion())
                    .field("id", r.id())
                    .field("pid", r.pid())
                    .field("status", r.status() == null ? null : r.status().jsonName())
                    .field("bundle", r.bundle())
                    .field("rootfs", r.rootfs())
                    .field("created", r.created())
                    .field("owner", r.owner())
                    .field("annotations", r.annotations());
        }
    };

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    public State {
        annotations = Copies.map(annotations);
    }

    /** The lifecycle status; JSON is the lower-case name. */
    public enum Status {
        CREATING, CREATED, RUNNING, STOPPED, PAUSED;

        /** The JSON name, {@code "running"}; how the codec writes a status. */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The status named {@code name} ({@code "running"}). */
        public static Status of(String name) {
            return Arrays.stream(values()).filter(s -> s.jsonName().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown status " + JsonPath.quote(String.valueOf(name))
                            + " (expected one of creating, created, running, stopped, paused)"));
        }
    }

    /** A time as Go's RFC3339Nano writes it, in UTC: {@code 2024-05-01T10:00:00.12345Z}. */
    public static String timestamp(Instant t) {
        String fraction = "";
        if (t.getNano() != 0) {
            fraction = String.format(".%09d", t.getNano()).replaceFirst("0+$", "");
        }
        return SECONDS.format(t) + fraction + "Z";
    }

    public State withStatus(Status newStatus, int newPid) {
        return new State(ociVersion, id, newStatus, newPid, bundle, annotations, rootfs, created, owner);
    }
}
