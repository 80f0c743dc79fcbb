package dev.nido.image.store;

import dev.nido.image.ImageException;

/**
 * An image reference as users type it ({@code busybox}, {@code debian:12}, {@code localhost:5000/team/app:v1},
 * {@code alpine@sha256:…}), normalised the way Docker does: no registry means {@code docker.io}, a
 * single-component repository there means {@code library/}, no tag and no digest means {@code latest}.
 */
public record Reference(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";

    public static Reference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new ImageException("image reference is empty (expected NAME[:TAG][@sha256:DIGEST], e.g. busybox:latest)");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Digest.parse(rest.substring(at + 1), "image reference \"" + text + "\"");
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            checkTag(text, tag);
        }
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        checkRepository(text, rest);
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new Reference(registry, rest, tag, digest);
    }

    private static void checkTag(String text, String tag) {
        boolean ok = !tag.isEmpty() && tag.length() <= 128 && word(tag.charAt(0));
        for (int i = 1; ok && i < tag.length(); i++) {
            char c = tag.charAt(i);
            ok = word(c) || c == '.' || c == '-';
        }
        if (!ok) {
            throw new ImageException("image reference \"" + text + "\": tag \"" + tag
                    + "\" is invalid (letters, digits, _ . -, not starting with . or -, at most 128)");
        }
    }

    private static boolean word(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    private static void checkRepository(String text, String repo) {
        for (String part : repo.split("/", -1)) {
            boolean ok = !part.isEmpty() && alnum(part.charAt(0)) && alnum(part.charAt(part.length() - 1));
            for (int i = 0; ok && i < part.length(); i++) {
                char c = part.charAt(i);
                ok = alnum(c) || c == '.' || c == '_' || c == '-';
            }
            if (!ok) {
                throw new ImageException("image reference \"" + text + "\": repository \"" + repo
                        + "\" is invalid (lower-case letters, digits and . _ - between them, parts separated by /)");
            }
        }
    }

    private static boolean alnum(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    /** The full name without tag or digest: {@code docker.io/library/busybox}. */
    public String name() {
        return registry + "/" + repository;
    }

    /** The canonical text: {@code docker.io/library/busybox:latest} (and {@code @sha256:…} if pinned). */
    @Override
    public String toString() {
        return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** As people write it: {@code busybox:latest}, {@code user/app:v1}, {@code localhost:5000/app:v1}. */
    public String familiar() {
        String n = registry.equals(DOCKER_HUB)
                ? (repository.startsWith("library/") ? repository.substring(8) : repository) : name();
        return n + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    public Reference withTag(String newTag) {
        return new Reference(registry, repository, newTag, null);
    }
}
