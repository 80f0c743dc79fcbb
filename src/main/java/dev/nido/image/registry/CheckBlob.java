package dev.nido.image.registry;

import dev.nido.image.ImageException;
import dev.nido.image.store.Digest;

import java.net.http.HttpResponse.BodyHandlers;

/** {@code HEAD /v2/NAME/blobs/DIGEST}: does the repository have the blob already. */
final class CheckBlob {
    private CheckBlob() {
    }

    static boolean exists(RegistryClient client, Target t, Digest digest) {
        Response<Void> r = client.send(t, client.uri(t, "/blobs/" + digest), u -> client.request(u).HEAD(),
                BodyHandlers.discarding());
        if (r.status() == 200) {
            return true;
        }
        if (r.status() == 404) {
            return false;
        }
        throw new ImageException("registry " + t.registry() + ": HEAD blob " + digest + " of " + t.repository()
                + " answered " + r.problem());
    }
}
