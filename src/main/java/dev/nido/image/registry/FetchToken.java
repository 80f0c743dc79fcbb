package dev.nido.image.registry;

import dev.nido.image.ImageException;
import dev.nido.oci.Json;
import dev.nido.oci.SpecException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET REALM?service=S&scope=A&scope=B} of the Docker token flow (docker/distribution
 * docs/spec/auth/token.md): anonymous, or with Basic credentials when some are known. The answer
 * carries {@code token} (or OAuth2's {@code access_token}) and {@code expires_in} (60 s if absent).
 */
final class FetchToken {
    private static final int MAX_ANSWER = 1 << 20;
    private static final long DEFAULT_LIFETIME = 60;
    private static final long SLACK = 10;

    record Token(String token, Instant expires) {
    }

    private FetchToken() {
    }

    static URI uri(String realm, String service, List<String> scopes) {
        StringBuilder q = new StringBuilder();
        if (service != null && !service.isEmpty()) {
            q.append("service=").append(encode(service));
        }
        for (String s : scopes) {
            q.append(q.isEmpty() ? "" : "&").append("scope=").append(encode(s));
        }
        if (q.isEmpty()) {
            return URI.create(realm);
        }
        return URI.create(realm + (realm.contains("?") ? "&" : "?") + q);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static Token fetch(RegistryClient client, String registry, String realm, String service, List<String> scopes,
                       Credential credential, String credentialSource) {
        URI uri;
        try {
            uri = uri(realm, service, scopes);
        } catch (IllegalArgumentException e) {
            throw new ImageException("registry " + registry + " names an invalid token realm \"" + realm + "\"");
        }
        HttpRequest.Builder b = client.request(uri).GET();
        if (credential != null) {
            b.header("Authorization", credential.basicHeader());
        }
        HttpResponse<byte[]> r;
        try {
            r = client.http().send(b.build(), info -> LimitedBytes.atMost(MAX_ANSWER, "token answer from " + realm));
        } catch (IOException e) {
            throw RegistryErrors.io(registry, "GET", uri, e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while getting a token from " + realm, e);
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw credential == null
                    ? new ImageException("registry " + registry + " requires a login (its token service " + realm
                    + " answered HTTP " + r.statusCode() + RegistryErrors.describe(r.body()) + "): nido login "
                    + registry)
                    : new ImageException("registry " + registry + ": the token service " + realm
                    + " refused the credentials of " + credential.username() + " (from " + credentialSource
                    + "; HTTP " + r.statusCode() + RegistryErrors.describe(r.body())
                    + "); check the user name and password: nido login " + registry);
        }
        if (r.statusCode() != 200) {
            throw new ImageException("registry " + registry + ": the token service " + realm + " answered HTTP "
                    + r.statusCode() + RegistryErrors.describe(r.body()));
        }
        return parse(r.body(), realm);
    }

    static Token parse(byte[] body, String realm) {
        Map<?, ?> m;
        try {
            m = Json.read(body, Object.class, "token answer from " + realm) instanceof Map<?, ?> map ? map : Map.of();
        } catch (SpecException e) {
            throw new ImageException(e.getMessage(), e);
        }
        Object token = m.get("token") instanceof String s && !s.isEmpty() ? s : m.get("access_token");
        if (!(token instanceof String t) || t.isEmpty()) {
            throw new ImageException("the token answer from " + realm + " has neither \"token\" nor \"access_token\"");
        }
        long lifetime = m.get("expires_in") instanceof Number n && n.longValue() > 0 ? n.longValue() : DEFAULT_LIFETIME;
        return new Token(t, Instant.now().plusSeconds(Math.max(0, lifetime - SLACK)));
    }
}
