package dev.nido.image.registry;

import dev.nido.image.ImageException;
import dev.nido.image.store.Digest;
import dev.nido.oci.Descriptor;
import dev.nido.oci.Json;
import dev.nido.oci.MediaTypes;
import dev.nido.oci.SpecException;

import java.util.Map;

/**
 * {@code GET /v2/NAME/manifests/REFERENCE} with every manifest type nido reads in {@code Accept}.
 * The answer is hashed here; a {@code Docker-Content-Digest} header that disagrees with the
 * content is refused, so is content that is not a manifest or index nido knows.
 */
final class GetManifest {
    /** containerd's limit too: a manifest is a few kilobytes, an index of hundreds of platforms less than this. */
    static final int MAX_SIZE = 4 << 20;
    static final String SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    static final String SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /** A manifest or index as received: its media type, its computed digest and its bytes. */
    record Fetched(String mediaType, Digest digest, byte[] bytes) {
        Descriptor descriptor() {
            return Descriptor.of(mediaType, digest.toString(), bytes.length);
        }

        boolean isIndex() {
            return MediaTypes.isIndex(mediaType);
        }
    }

    private GetManifest() {
    }

    /**
     * @param reference a tag or {@code sha256:…}
     * @param what      how messages name it: {@code REPO:TAG} or {@code REPO@sha256:…}
     */
    static Fetched fetch(RegistryClient client, Target t, String reference, String what) {
        Response<byte[]> r = client.send(t, client.uri(t, "/manifests/" + reference),
                u -> client.request(u).GET().header("Accept", MediaTypes.accept()),
                info -> LimitedBytes.atMost(MAX_SIZE, "manifest " + what));
        if (r.status() == 404) {
            throw new ImageException(what + " not found in " + t.registry() + RegistryErrors.describe(r.error()));
        }
        if (r.status() != 200) {
            throw new ImageException("registry " + t.registry() + ": GET manifest " + what + " answered " + r.problem());
        }
        byte[] bytes = r.body();
        Digest digest = Digest.of(bytes);
        String claimed = r.header("Docker-Content-Digest").orElse("").trim();
        if (claimed.startsWith("sha256:") && !claimed.equals(digest.toString())) {
            throw new ImageException(t.registry() + "/" + what + ": the registry says the manifest is " + claimed
                    + " but its content has digest " + digest + " (corrupt or tampered; nothing was stored)");
        }
        return new Fetched(mediaType(bytes, r.header("Content-Type").orElse(null), t.registry() + "/" + what),
                digest, bytes);
    }

    /**
     * The media type of a manifest: its own {@code mediaType} field (part of what is digested), else
     * the {@code Content-Type}, else its shape (old OCI manifests may have neither).
     */
    static String mediaType(byte[] bytes, String contentType, String what) {
        Map<?, ?> doc;
        try {
            doc = Json.read(bytes, Object.class, what) instanceof Map<?, ?> m ? m : null;
        } catch (SpecException e) {
            throw new ImageException(what + ": the manifest is not valid JSON (" + e.getMessage() + ")", e);
        }
        if (doc == null) {
            throw new ImageException(what + ": the manifest is not a JSON object");
        }
        String type = doc.get("mediaType") instanceof String s && !s.isEmpty() ? s : null;
        if (type == null && contentType != null) {
            type = contentType.split(";", 2)[0].trim();
        }
        if (!known(type)) {
            if (Integer.valueOf(1).equals(doc.get("schemaVersion")) || SCHEMA1.equals(type)
                    || SCHEMA1_SIGNED.equals(type)) {
                throw new ImageException(what + ": Docker schema 1 manifests are not supported (a format deprecated"
                        + " since 2017; push the image again with a current tool)");
            }
            boolean untyped = !(doc.get("mediaType") instanceof String) && (type == null || generic(type));
            if (untyped && doc.get("manifests") != null) {
                type = MediaTypes.OCI_INDEX;
            } else if (untyped && doc.get("config") != null && doc.get("layers") != null) {
                type = MediaTypes.OCI_MANIFEST;
            } else {
                throw new ImageException(what + ": the registry sent a manifest of media type " + type
                        + ", which nido does not know (it reads OCI and Docker schema 2 images and indexes)");
            }
        }
        return type;
    }

    private static boolean generic(String contentType) {
        return contentType.isEmpty() || contentType.equals("application/json")
                || contentType.equals("application/octet-stream") || contentType.equals("text/plain");
    }

    private static boolean known(String type) {
        return type != null && (MediaTypes.isManifest(type) || MediaTypes.isIndex(type));
    }
}
