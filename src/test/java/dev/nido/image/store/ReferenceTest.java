package dev.nido.image.store;

import dev.nido.image.ImageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReferenceTest {
    private static final String D = "sha256:" + "a".repeat(64);

    @Test
    void normalisedAsDockerDoes() {
        assertThat(Reference.parse("busybox").toString()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(Reference.parse("busybox").familiar()).isEqualTo("busybox:latest");
        assertThat(Reference.parse("user/app:v1").toString()).isEqualTo("docker.io/user/app:v1");
        assertThat(Reference.parse("localhost:5000/team/app").toString()).isEqualTo("localhost:5000/team/app:latest");
        assertThat(Reference.parse("localhost/app:1").registry()).isEqualTo("localhost");
        assertThat(Reference.parse("quay.io/x/y:2.0").familiar()).isEqualTo("quay.io/x/y:2.0");
        Reference pinned = Reference.parse("alpine@" + D);
        assertThat(pinned.tag()).isNull();
        assertThat(pinned.digest().toString()).isEqualTo(D);
        assertThat(Reference.parse("alpine:3@" + D).toString()).isEqualTo("docker.io/library/alpine:3@" + D);
    }

    @Test
    void badReferencesSayWhatIsWrong() {
        assertThatThrownBy(() -> Reference.parse("Busybox")).isInstanceOf(ImageException.class)
                .hasMessageContaining("repository \"library/Busybox\"");
        assertThatThrownBy(() -> Reference.parse("busybox:-x")).hasMessageContaining("tag \"-x\"");
        assertThatThrownBy(() -> Reference.parse("busybox@md5:00")).hasMessageContaining("only sha256");
        assertThatThrownBy(() -> Reference.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Reference.parse("a//b")).hasMessageContaining("invalid");
    }
}
