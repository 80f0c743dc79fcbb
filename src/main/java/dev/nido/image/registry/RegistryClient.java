package dev.nido.image.registry;

import dev.nido.image.ImageException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The connection to registries: HTTPS (HTTP/2 where offered) unless the caller lists a registry as
 * insecure, Docker Hub's API host for {@code docker.io}, redirects followed by hand (blob storage
 * gets no {@code Authorization} header), and the authentication retry: a request is sent with
 * what {@link Authenticator} holds for its registry and scope, and a 401 is answered once (token or
 * Basic) before the request is repeated. Every failure is an {@link ImageException} in one line.
 */
public final class RegistryClient implements AutoCloseable {
    static final String DOCKER_HUB = "docker.io";
    static final String DOCKER_HUB_API = "registry-1.docker.io";
    static final String USER_AGENT = "nido/0.1";
    private static final int MAX_REDIRECTS = 5;
    private static final int ERROR_BODY_LIMIT = 64 * 1024;

    private final HttpClient http;
    private final boolean ownsHttp;
    private final Set<String> insecure;
    private final Credentials credentials;
    private final Authenticator authenticator;
    private final Duration requestTimeout;
    private final Duration idleTimeout;

    private RegistryClient(HttpClient http, boolean ownsHttp, Set<String> insecure, Credentials credentials,
                           Duration requestTimeout, Duration idleTimeout) {
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.insecure = insecure;
        this.credentials = credentials;
        this.requestTimeout = requestTimeout;
        this.idleTimeout = idleTimeout;
        this.authenticator = new Authenticator(this, credentials);
    }

    /** A client with the user's credential files and the default timeouts. */
    public static RegistryClient create(Collection<String> insecureRegistries) {
        return builder().insecure(insecureRegistries).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a client; every one has a default. */
    public static final class Builder {
        private final Set<String> insecure = new TreeSet<>();
        private Credentials credentials;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration idleTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** Registries ({@code host[:port]}) spoken to over plain http. */
        public Builder insecure(Collection<String> registries) {
            for (String r : registries) {
                insecure.add(r.toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /** Where credentials come from and go to (default {@link Credentials#defaults()}). */
        public Builder credentials(Credentials c) {
            credentials = Objects.requireNonNull(c);
            return this;
        }

        public Builder connectTimeout(Duration d) {
            connectTimeout = d;
            return this;
        }

        /** How long to wait for the headers of an answer. */
        public Builder requestTimeout(Duration d) {
            requestTimeout = d;
            return this;
        }

        /** How long a blob download may receive nothing before it is given up (and resumed on retry). */
        public Builder idleTimeout(Duration d) {
            idleTimeout = d;
            return this;
        }

        public RegistryClient build() {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER) // by hand: see send()
                    .version(HttpClient.Version.HTTP_2)
                    .build();
            return new RegistryClient(http, true, Set.copyOf(insecure),
                    credentials != null ? credentials : Credentials.defaults(), requestTimeout, idleTimeout);
        }
    }

    public Credentials credentials() {
        return credentials;
    }

    /**
     * Checks {@code user} and {@code password} against {@code registry} ({@code GET /v2/}, answering
     * its challenge with them) and, if it accepts them, stores them in nido's credentials file.
     *
     * @return the file written
     */
    public java.nio.file.Path login(String registry, String user, String password) {
        Credential c = new Credential(user, password);
        RegistryClient check = new RegistryClient(http, false, insecure, Credentials.only(registry, c),
                requestTimeout, idleTimeout);
        CheckApi.check(check, registry);
        credentials.store(registry, c);
        return credentials.file();
    }

    /** Removes the stored credentials of {@code registry} from nido's file; whether there were any. */
    public boolean logout(String registry) {
        return credentials.remove(registry);
    }

    boolean isInsecure(String registry) {
        return insecure.contains(registry.toLowerCase(Locale.ROOT));
    }

    /** {@code https://HOST[:PORT]} of a registry's API ({@code http://} for an insecure one). */
    URI base(String registry) {
        String host = registry.equals(DOCKER_HUB) ? DOCKER_HUB_API : registry;
        return URI.create((isInsecure(registry) ? "http://" : "https://") + host);
    }

    /** {@code BASE/v2/REPOSITORY/PATH}; {@code BASE/v2/} for the API check. */
    URI uri(Target t, String path) {
        return URI.create(base(t.registry()) + "/v2/" + (t.repository() == null ? "" : t.repository() + path));
    }

    HttpClient http() {
        return http;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    /** A request to {@code uri} with the headers every request carries. */
    HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("User-Agent", USER_AGENT);
        if ("http".equals(uri.getScheme())) {
            b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with plain-http registries
        }
        return b;
    }

    /**
     * Sends a request to the registry of {@code t}, with authentication and redirects. {@code build}
     * makes the request for a URI (it is called again for a retry or a redirect, so a body must be
     * replayable); {@code onSuccess} reads a 2xx body. A 401 after the challenge was answered and a
     * 403 become errors here; every other status is the caller's to judge.
     */
    <T> Response<T> send(Target t, URI uri, Function<URI, HttpRequest.Builder> build, BodyHandler<T> onSuccess) {
        URI base = base(t.registry());
        boolean answered = false;
        for (int hops = 0; ; ) {
            boolean ours = sameOrigin(uri, base);
            HttpRequest.Builder b = build.apply(uri);
            String authorization = ours ? authenticator.header(t) : null;
            if (authorization != null) {
                b.setHeader("Authorization", authorization);
            }
            HttpRequest request = b.build();
            Response<T> r = exchange(t, request, onSuccess);
            if (r.status() == 401 && ours && !answered) {
                authenticator.answer(t, WwwAuthenticate.parse(r.headers().allValues("WWW-Authenticate")),
                        authorization);
                answered = true;
                continue;
            }
            if (r.status() == 401 && ours) {
                throw authenticator.refused(t, r);
            }
            if (r.status() == 403) {
                throw new ImageException("registry " + t.registry() + " denied " + request.method() + " of "
                        + t.name() + " (" + r.problem() + "); check that you may " + verb(t) + " it");
            }
            String location = r.header("Location").orElse(null);
            boolean redirect = r.status() / 100 == 3 && r.status() != 304 && location != null
                    && (request.method().equals("GET") || request.method().equals("HEAD"));
            if (!redirect) {
                return r;
            }
            if (++hops > MAX_REDIRECTS) {
                throw new ImageException("registry " + t.registry() + ": too many redirects from " + request.uri());
            }
            uri = uri.resolve(location);
        }
    }

    private static String verb(Target t) {
        return t.scope() != null && t.scope().endsWith("push") ? "push to" : "pull";
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getRawAuthority().equalsIgnoreCase(b.getRawAuthority());
    }

    @SuppressWarnings("unchecked")
    private <T> Response<T> exchange(Target t, HttpRequest request, BodyHandler<T> onSuccess) {
        BodyHandler<Object> either = info -> info.statusCode() / 100 == 2
                ? (BodySubscriber<Object>) onSuccess.apply(info)
                : (BodySubscriber<Object>) (BodySubscriber<?>) LimitedBytes.firstBytes(ERROR_BODY_LIMIT);
        try {
            HttpResponse<Object> r = http.send(request, either);
            boolean ok = r.statusCode() / 100 == 2;
            return new Response<>(r.statusCode(), r.headers(), r.uri(), ok ? (T) r.body() : null,
                    ok ? null : (byte[]) r.body());
        } catch (IOException e) {
            throw RegistryErrors.io(t.registry(), request.method(), request.uri(), e,
                    "http".equals(request.uri().getScheme()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while talking to registry " + t.registry(), e);
        }
    }

    @Override
    public void close() {
        if (ownsHttp) {
            http.shutdownNow();
        }
    }
}
