package dev.nido.image.registry;

import dev.nido.image.ImageException;
import dev.nido.image.store.Digest;

import java.net.http.HttpRequest;

/** {@code PUT /v2/NAME/manifests/REFERENCE} with the manifest's media type as {@code Content-Type}. */
final class PutManifest {
    private static final int MAX_ANSWER = 64 * 1024;

    private PutManifest() {
    }

    /** @param reference a tag, or the manifest's own digest */
    static void put(RegistryClient client, Target t, String reference, String mediaType, byte[] bytes) {
        Digest digest = Digest.of(bytes);
        Response<byte[]> r = client.send(t, client.uri(t, "/manifests/" + reference),
                u -> client.request(u).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                        .header("Content-Type", mediaType),
                info -> LimitedBytes.firstBytes(MAX_ANSWER));
        if (r.status() != 201 && r.status() != 200) {
            throw new ImageException("registry " + t.registry() + " refused manifest " + digest + " (" + mediaType
                    + ") for " + t.repository() + (reference.startsWith("sha256:") ? "@" : ":") + reference + " (" + r.problem() + ")");
        }
        String claimed = r.header("Docker-Content-Digest").orElse("");
        if (claimed.startsWith("sha256:") && !claimed.equals(digest.toString())) {
            throw new ImageException("registry " + t.registry() + " stored manifest " + digest + " as " + claimed
                    + " (it changed the manifest; nido pushes manifests byte for byte)");
        }
    }
}
