package dev.nido.image.registry;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryErrorsTest {
    private static final URI U = URI.create("https://reg.example/v2/a/b/manifests/1");

    private static IOException wrapped(Throwable cause) {
        ConnectException e = new ConnectException(); // what the JDK's client throws: no message, the cause inside
        e.initCause(cause);
        return e;
    }

    @Test
    void eachFailureIsOneLineNamingTheRegistryAndWhatToDo() {
        assertThat(RegistryErrors.io("reg.example", "GET", U, wrapped(new UnresolvedAddressException()), false)
                .getMessage()).isEqualTo("cannot reach registry reg.example (GET " + U + "): unknown host reg.example;"
                + " check the registry name");
        assertThat(RegistryErrors.io("reg.example", "GET", U, wrapped(new ConnectException("Connection refused")), false)
                .getMessage()).isEqualTo("cannot connect to registry reg.example (GET " + U + "): connection refused;"
                + " check the address and port; if it serves plain http, allow that with --insecure reg.example");
        assertThat(RegistryErrors.io("reg.example", "GET", U, new SSLException("Unsupported or unrecognized SSL message"),
                false).getMessage()).contains("did not speak TLS").endsWith("--insecure reg.example");
        assertThat(RegistryErrors.io("reg.example", "GET", U, new SSLHandshakeException("PKIX path building failed"),
                false).getMessage()).contains("TLS handshake failed (PKIX path building failed); the certificate"
                + " may not be trusted");
        assertThat(RegistryErrors.io("reg.example", "GET", U, new IOException("boom"), true).getMessage())
                .isEqualTo("registry reg.example (GET " + U + "): boom").doesNotContain("\n");
    }

    @Test
    void registryErrorBodiesAreQuoted() {
        assertThat(RegistryErrors.describe(("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"no\"},"
                + "{\"code\":\"X\"}]}").getBytes())).isEqualTo(": DENIED: no; X");
        assertThat(RegistryErrors.describe("too many\nrequests".getBytes())).isEqualTo(": too many requests");
        assertThat(RegistryErrors.describe("<html>bad gateway</html>".getBytes())).isEmpty();
        assertThat(RegistryErrors.describe(null)).isEmpty();
    }
}
