package dev.nido.image.registry;

import com.sun.net.httpserver.HttpExchange;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.Reference;
import dev.nido.oci.Descriptor;
import dev.nido.oci.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Bearer token flow and Basic authentication against a gate in front of {@link FakeRegistry}. */
class AuthTest {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final String TOKEN = "t0k3n";
    @TempDir
    Path tmp;
    FakeRegistry registry;
    ImageStore source;
    Path authFile;
    final AtomicInteger tokenRequests = new AtomicInteger();
    volatile String lastTokenQuery;
    volatile boolean anonymousTokens;

    @BeforeEach
    void setUp() throws IOException {
        registry = new FakeRegistry();
        source = new ImageStore(tmp.resolve("source"));
        Descriptor m = TestImages.twoLayers(source, "amd64", "auth");
        registry.serve(source, "x/y", "t", m);
        authFile = tmp.resolve("nido/auth.json");
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    private RegistryClient client() {
        return RegistryClient.builder().insecure(List.of(registry.registry()))
                .credentials(Credentials.at(authFile, tmp.resolve("docker-config.json"))).build();
    }

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    /** Bearer tokens from /token for user:pass; every /v2 request needs one. */
    private void bearerGate() {
        registry.gate = ex -> answer(ex, () -> {
            if (ex.getRequestURI().getPath().equals("/token")) {
                tokenRequests.incrementAndGet();
                lastTokenQuery = ex.getRequestURI().getQuery();
                String a = ex.getRequestHeaders().getFirst("Authorization");
                if (basic("user:pass").equals(a) || anonymousTokens && a == null) {
                    String token = a == null ? "anonymous" : TOKEN;
                    FakeRegistry.send(ex, 200, "application/json",
                            ("{\"access_token\":\"" + token + "\",\"expires_in\":300}").getBytes());
                } else {
                    FakeRegistry.error(ex, 401, "UNAUTHORIZED", "bad credentials");
                }
                return false;
            }
            if (("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                return true;
            }
            ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + registry.registry()
                    + "/token\",service=\"test\",scope=\"repository:x/y:pull\"");
            FakeRegistry.error(ex, 401, "UNAUTHORIZED", "authentication required");
            return false;
        });
    }

    private void basicGate() {
        registry.gate = ex -> answer(ex, () -> {
            if (basic("user:pass").equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                return true;
            }
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test registry\"");
            FakeRegistry.error(ex, 401, "UNAUTHORIZED", "authentication required");
            return false;
        });
    }

    private interface IoCheck {
        boolean run() throws IOException;
    }

    private static boolean answer(HttpExchange ex, IoCheck check) {
        try {
            return check.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void login() {
        Credentials.at(authFile, null).store(registry.registry(), new Credential("user", "pass"));
    }

    private Reference ref() {
        return Reference.parse(registry.registry() + "/x/y:t");
    }

    @Test
    void aTokenIsFetchedOnceWithTheStoredCredentialsAndUsedForEveryRequest() {
        login();
        bearerGate();
        try (RegistryClient c = client()) {
            new Puller(c).pull(ref(), AMD64, new ImageStore(tmp.resolve("dest")), Progress.none());
        }
        assertThat(tokenRequests).hasValue(1);
        assertThat(lastTokenQuery).isEqualTo("service=test&scope=repository:x/y:pull");
        List<FakeRegistry.Request> v2 = registry.requests.stream().filter(r -> r.path().startsWith("/v2/")).toList();
        assertThat(v2.get(0).authorization()).isNull(); // anonymous first
        assertThat(v2.subList(1, v2.size())).hasSize(4) // manifest again, config, two layers
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
    }

    @Test
    void withoutCredentialsTheErrorSaysToLogIn() {
        bearerGate();
        try (RegistryClient c = client()) {
            assertThatThrownBy(() -> new Puller(c).pull(ref(), AMD64, new ImageStore(tmp.resolve("d")), Progress.none()))
                    .hasMessage("registry " + registry.registry() + " requires a login (its token service http://"
                            + registry.registry() + "/token answered HTTP 401: UNAUTHORIZED: bad credentials): nido login "
                            + registry.registry());
        }
        anonymousTokens = true; // a token service that gives anonymous tokens the registry then refuses
        try (RegistryClient c = client()) {
            assertThatThrownBy(() -> new Puller(c).pull(ref(), AMD64, new ImageStore(tmp.resolve("d")), Progress.none()))
                    .hasMessage("registry " + registry.registry() + " requires a login to x/y (HTTP 401: UNAUTHORIZED:"
                            + " authentication required): nido login " + registry.registry()
                            + " (or check the repository name)");
        }
    }

    @Test
    void wrongCredentialsAreNamedWithTheirFile() {
        Credentials.at(authFile, null).store(registry.registry(), new Credential("user", "wrong"));
        bearerGate();
        try (RegistryClient c = client()) {
            assertThatThrownBy(() -> new Puller(c).pull(ref(), AMD64, new ImageStore(tmp.resolve("d")), Progress.none()))
                    .hasMessageContaining("refused the credentials of user (from " + authFile)
                    .hasMessageContaining("nido login " + registry.registry());
        }
    }

    @Test
    void basicAuthenticationWithAndWithoutCredentials() {
        basicGate();
        try (RegistryClient c = client()) {
            assertThatThrownBy(() -> new Puller(c).pull(ref(), AMD64, new ImageStore(tmp.resolve("d")), Progress.none()))
                    .hasMessage("registry " + registry.registry() + " wants a user name and password: nido login "
                            + registry.registry());
        }
        login();
        try (RegistryClient c = client()) {
            new Puller(c).pull(ref(), AMD64, new ImageStore(tmp.resolve("d2")), Progress.none());
        }
    }

    @Test
    void loginChecksTheCredentialsBeforeStoringThem() throws IOException {
        bearerGate();
        try (RegistryClient c = client()) {
            assertThatThrownBy(() -> c.login(registry.registry(), "user", "nope"))
                    .hasMessageContaining("refused the credentials of user (from the command line");
            assertThat(authFile).doesNotExist();
            assertThat(c.login(registry.registry(), "user", "pass")).isEqualTo(authFile);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(authFile))).isEqualTo("rw-------");
        assertThat(Credentials.at(authFile, null).find(registry.registry())).contains(new Credential("user", "pass"));
        try (RegistryClient c = client()) {
            new Puller(c).pull(ref(), AMD64, new ImageStore(tmp.resolve("d")), Progress.none());
            assertThat(c.logout(registry.registry())).isTrue();
            assertThat(c.logout(registry.registry())).isFalse();
        }
    }

    @Test
    void redirectsToBlobStorageCarryNoAuthorization() throws IOException {
        login();
        bearerGate();
        try (FakeRegistry storage = new FakeRegistry(); RegistryClient c = client()) {
            storage.blobs.putAll(registry.blobs);
            registry.blobRedirect = "http://" + storage.registry();
            new Puller(c).pull(ref(), AMD64, new ImageStore(tmp.resolve("d")), Progress.none());
            assertThat(storage.requests).hasSize(3).allSatisfy(r -> assertThat(r.authorization()).isNull());
        }
    }

    @Test
    void tokenAnswers() {
        assertThat(FetchToken.parse("{\"token\":\"a\",\"access_token\":\"b\"}".getBytes(), "r").token()).isEqualTo("a");
        assertThat(FetchToken.parse("{\"access_token\":\"b\"}".getBytes(), "r").token()).isEqualTo("b");
        assertThatThrownBy(() -> FetchToken.parse("{}".getBytes(), "http://r/token"))
                .hasMessage("the token answer from http://r/token has neither \"token\" nor \"access_token\"");
        assertThat(FetchToken.uri("https://auth.docker.io/token", "registry.docker.io",
                List.of("repository:library/busybox:pull", "repository:a/b:pull,push")).toString())
                .isEqualTo("https://auth.docker.io/token?service=registry.docker.io"
                        + "&scope=repository%3Alibrary%2Fbusybox%3Apull&scope=repository%3Aa%2Fb%3Apull%2Cpush");
    }
}
