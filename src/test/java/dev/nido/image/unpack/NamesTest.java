package dev.nido.image.unpack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void cleansInsideTheRoot() {
        assertThat(Names.clean("etc/passwd")).isEqualTo("etc/passwd");
        assertThat(Names.clean("etc/")).isEqualTo("etc");
        assertThat(Names.clean("./etc//x/./y/")).isEqualTo("etc/x/y");
        assertThat(Names.clean("/outside/x")).isEqualTo("outside/x");
        assertThat(Names.clean("a/../b")).isEqualTo("b");
        assertThat(Names.clean("./")).isEmpty();
        assertThat(Names.clean("/")).isEmpty();
        assertThat(Names.clean(".")).isEmpty();
        assertThat(Names.clean("a/..")).isEmpty();
        assertThat(Names.clean("...")).isEqualTo("...");
        assertThat(Names.clean("..a/.b")).isEqualTo("..a/.b");
    }

    @Test
    void refusesToClimbAboveTheRoot() {
        assertThat(Names.clean("..")).isNull();
        assertThat(Names.clean("../outside/x")).isNull();
        assertThat(Names.clean("../../etc/x")).isNull();
        assertThat(Names.clean("a/../../x")).isNull();
        assertThat(Names.clean("/../x")).isNull();
    }

    @Test
    void quotesForMessages() {
        assertThat(Names.quote("a\"b\\c\nd")).isEqualTo("\"a\\\"b\\\\c\\x0ad\"");
        assertThat(Names.quote("x".repeat(600))).hasSize(512 + 3).endsWith("…\"");
    }

    @Test
    void splitsCleanNames() {
        assertThat(Names.parent("a/b/c")).isEqualTo("a/b");
        assertThat(Names.base("a/b/c")).isEqualTo("c");
        assertThat(Names.parent("c")).isEmpty();
        assertThat(Names.percentDecode("user.%C3%A9t%20e")).isEqualTo("user.ét e");
    }
}
