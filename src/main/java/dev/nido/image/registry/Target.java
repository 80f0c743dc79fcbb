package dev.nido.image.registry;

import dev.nido.image.store.Reference;

/**
 * What a call is about: the registry, the repository (null for {@code /v2/} itself) and the access
 * scope a token must grant ({@code repository:NAME:pull}, null for none).
 */
record Target(String registry, String repository, String scope) {
    static Target pull(Reference ref) {
        return new Target(ref.registry(), ref.repository(), "repository:" + ref.repository() + ":pull");
    }

    static Target push(Reference ref) {
        return new Target(ref.registry(), ref.repository(), "repository:" + ref.repository() + ":pull,push");
    }

    static Target api(String registry) {
        return new Target(registry, null, null);
    }

    /** {@code registry/repository}, as messages name it. */
    String name() {
        return repository == null ? registry : registry + "/" + repository;
    }
}
