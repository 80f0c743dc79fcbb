package dev.nido.image.registry;

import dev.nido.image.ImageException;
import dev.nido.image.registry.WwwAuthenticate.Challenge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a request is authorised with, per registry: a Bearer token per (registry, scope), fetched
 * when a 401 challenges for one and kept until it expires, or Basic credentials once a registry
 * asked for them. Anonymous first: nothing is sent until the registry challenges.
 */
final class Authenticator {
    private record Key(String registry, String scope) {
    }

    private record Cached(String header, Instant expires) {
    }

    private final RegistryClient client;
    private final Credentials credentials;
    private final Map<Key, Cached> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> basic = new ConcurrentHashMap<>();

    Authenticator(RegistryClient client, Credentials credentials) {
        this.client = client;
        this.credentials = credentials;
    }

    /** The {@code Authorization} value to send for {@code t}, or null (anonymous). */
    String header(Target t) {
        String b = basic.get(t.registry());
        if (b != null) {
            return b;
        }
        Cached c = tokens.get(new Key(t.registry(), t.scope()));
        return c != null && Instant.now().isBefore(c.expires()) ? c.header() : null;
    }

    /**
     * Answers the challenges of a 401 to a request sent with {@code rejected} (null: none): fetches a
     * token, or takes up Basic credentials. Parallel downloads may all be challenged at once; the
     * first answers, the others find a header that differs from the one rejected and retry with it.
     */
    synchronized void answer(Target t, List<Challenge> challenges, String rejected) {
        String current = header(t);
        if (current != null && !current.equals(rejected)) {
            return;
        }
        Optional<Credential> c = credentials.find(t.registry());
        Challenge bearer = find(challenges, "bearer");
        if (bearer != null) {
            String realm = bearer.param("realm");
            if (realm == null || realm.isEmpty()) {
                throw new ImageException("registry " + t.registry() + " asks for a Bearer token but names no realm"
                        + " to get it from");
            }
            List<String> scopes = new ArrayList<>();
            for (String s : new String[] {t.scope(), bearer.param("scope")}) {
                if (s != null && !s.isEmpty() && !scopes.contains(s)) {
                    scopes.add(s);
                }
            }
            FetchToken.Token token = FetchToken.fetch(client, t.registry(), realm, bearer.param("service"), scopes,
                    c.orElse(null), credentials.sourceOf(t.registry()));
            tokens.put(new Key(t.registry(), t.scope()), new Cached("Bearer " + token.token(), token.expires()));
        } else if (find(challenges, "basic") != null) {
            basic.put(t.registry(), c.orElseThrow(() -> new ImageException("registry " + t.registry()
                    + " wants a user name and password: nido login " + t.registry())).basicHeader());
        } else if (challenges.isEmpty()) {
            throw new ImageException("registry " + t.registry() + " answered 401 Unauthorized without saying how to"
                    + " authenticate (no WWW-Authenticate header)");
        } else {
            throw new ImageException("registry " + t.registry() + " asks for authentication by "
                    + challenges.stream().map(Challenge::scheme).toList() + ", which nido does not support"
                    + " (only Bearer and Basic)");
        }
    }

    private static Challenge find(List<Challenge> challenges, String scheme) {
        for (Challenge ch : challenges) {
            if (ch.scheme().equals(scheme)) {
                return ch;
            }
        }
        return null;
    }

    /** The error for a 401 that persists after the challenge was answered. */
    ImageException refused(Target t, Response<?> r) {
        Optional<Credential> c = credentials.find(t.registry());
        String what = t.repository() == null ? "" : " to " + t.repository();
        if (c.isPresent()) {
            return new ImageException("registry " + t.registry() + " refused access" + what + " for user "
                    + c.get().username() + " (" + r.problem() + "; credentials from "
                    + credentials.sourceOf(t.registry()) + "); check the name and your rights, or log in again:"
                    + " nido login " + t.registry());
        }
        return new ImageException("registry " + t.registry() + " requires a login" + what + " (" + r.problem()
                + "): nido login " + t.registry() + " (or check the repository name)");
    }
}
