package dev.nido.image.build;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Symlinks an image plants are followed inside its root, never out to the host. */
class InRootTest {
    private Path root;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createTempDirectory("nido-inroot-");
        Files.createDirectories(root.resolve("usr/lib"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        Files.createSymbolicLink(root.resolve("evil"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../.."));
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
    }

    @AfterEach
    void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void resolvesInsideTheRoot() {
        assertThat(InRoot.resolve(root, "/lib/x", true)).isEqualTo(root.resolve("usr/lib/x"));
        assertThat(InRoot.resolve(root, "/evil/passwd", true)).isEqualTo(root.resolve("etc/passwd"));
        assertThat(InRoot.resolve(root, "up/etc", true)).isEqualTo(root.resolve("etc"));
        assertThat(InRoot.resolve(root, "/../../etc", true)).isEqualTo(root.resolve("etc"));
        assertThat(InRoot.resolve(root, "/lib", false)).isEqualTo(root.resolve("lib"));
        assertThatThrownBy(() -> InRoot.resolve(root, "/loop/x", true)).hasMessageContaining("ELOOP");
    }

    @Test
    void mkdirsFollowsLinksInsideAndRefusesFiles() throws IOException {
        Path d = InRoot.mkdirs(root, "/evil/new/dir", null);
        assertThat(d).isEqualTo(root.resolve("etc/new/dir")).isDirectory();
        assertThat(InRoot.mkdirs(root, "/lib/sub", null)).isEqualTo(root.resolve("usr/lib/sub"));
        Files.writeString(root.resolve("file"), "x");
        assertThatThrownBy(() -> InRoot.mkdirs(root, "/file/sub", null)).hasMessageContaining("not a directory");
    }

    @Test
    void usersComeFromTheImagesFiles() throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/app:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1001:\nwheel:x:10:app,root\ndocker:x:999:app\n");
        assertThat(Users.resolve(root, "app")).isEqualTo(new Users.Ids(1000, 1001, java.util.List.of(10L, 999L)));
        assertThat(Users.resolve(root, "app:docker")).isEqualTo(new Users.Ids(1000, 999, java.util.List.of()));
        assertThat(Users.resolve(root, "1000")).isEqualTo(new Users.Ids(1000, 1001, java.util.List.of(10L, 999L)));
        assertThat(Users.resolve(root, "4242")).isEqualTo(new Users.Ids(4242, 0, java.util.List.of()));
        assertThat(Users.owner(root, "4242")).isEqualTo(new Users.Ids(4242, 4242, java.util.List.of()));
        assertThat(Users.owner(root, "app")).isEqualTo(new Users.Ids(1000, 1001, java.util.List.of()));
        assertThat(Users.owner(root, "1:2")).isEqualTo(new Users.Ids(1, 2, java.util.List.of()));
        assertThatThrownBy(() -> Users.resolve(root, "nobody")).hasMessageContaining("not in the image's /etc/passwd");
        assertThatThrownBy(() -> Users.resolve(root, "app:nogroup")).hasMessageContaining("/etc/group");
    }
}
