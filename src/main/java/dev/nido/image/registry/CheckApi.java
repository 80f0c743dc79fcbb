package dev.nido.image.registry;

import dev.nido.image.ImageException;

import java.net.http.HttpResponse.BodyHandlers;

/** {@code GET /v2/}: is this a registry, and does it accept our credentials (the check of {@code login}). */
final class CheckApi {
    private CheckApi() {
    }

    static void check(RegistryClient client, String registry) {
        Target t = Target.api(registry);
        Response<Void> r = client.send(t, client.uri(t, ""), u -> client.request(u).GET(), BodyHandlers.discarding());
        if (r.status() == 404) {
            throw new ImageException(registry + " is not a container registry (GET " + r.uri()
                    + " answered 404 Not Found)");
        }
        if (!r.ok()) {
            throw new ImageException("registry " + registry + ": GET " + r.uri() + " answered " + r.problem());
        }
    }
}
