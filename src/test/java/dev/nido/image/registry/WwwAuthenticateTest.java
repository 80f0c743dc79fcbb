package dev.nido.image.registry;

import dev.nido.image.registry.WwwAuthenticate.Challenge;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WwwAuthenticateTest {
    @Test
    void dockerHubsBearerChallenge() {
        List<Challenge> c = WwwAuthenticate.parse("Bearer realm=\"https://auth.docker.io/token\","
                + "service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
        assertThat(c).containsExactly(new Challenge("bearer", Map.of("realm", "https://auth.docker.io/token",
                "service", "registry.docker.io", "scope", "repository:library/busybox:pull")));
    }

    @Test
    void quotedValuesKeepTheirCommasAndEscapes() {
        List<Challenge> c = WwwAuthenticate.parse("Bearer realm=\"https://h/token?a=1,b=2\", scope=\"repository:a/b:pull,push\","
                + " error=\"insufficient_scope\", note=\"say \\\"hi\\\"\"");
        assertThat(c).singleElement().satisfies(ch -> {
            assertThat(ch.param("realm")).isEqualTo("https://h/token?a=1,b=2");
            assertThat(ch.param("scope")).isEqualTo("repository:a/b:pull,push");
            assertThat(ch.param("error")).isEqualTo("insufficient_scope");
            assertThat(ch.param("note")).isEqualTo("say \"hi\"");
        });
    }

    @Test
    void severalChallengesInOneHeaderAndBareTokens() {
        List<Challenge> c = WwwAuthenticate.parse("Basic realm=\"Registry Realm\", charset=UTF-8, BEARER realm=x,"
                + "Service = y , Negotiate");
        assertThat(c).extracting(Challenge::scheme).containsExactly("basic", "bearer", "negotiate");
        assertThat(c.get(0).params()).containsExactly(Map.entry("realm", "Registry Realm"), Map.entry("charset", "UTF-8"));
        assertThat(c.get(1).params()).containsExactly(Map.entry("realm", "x"), Map.entry("service", "y"));
        assertThat(c.get(2).params()).isEmpty();
    }

    @Test
    void severalHeaderValuesAndGarbage() {
        assertThat(WwwAuthenticate.parse(List.of("Basic realm=\"a\"", "Bearer realm=\"b\"")))
                .extracting(Challenge::scheme).containsExactly("basic", "bearer");
        assertThat(WwwAuthenticate.parse("")).isEmpty();
        assertThat(WwwAuthenticate.parse("Bearer realm=\"unterminated")).singleElement()
                .satisfies(ch -> assertThat(ch.param("realm")).isEqualTo("unterminated"));
    }
}
