package dev.nido.image.build;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The step cache key: parent, instruction, and for COPY/ADD what the sources hold (not their times). */
class CacheKeyTest {
    private Path ctx;

    @BeforeEach
    void setUp() throws IOException {
        ctx = Files.createTempDirectory("nido-cachekey-");
        Files.writeString(ctx.resolve("file.txt"), "one\n");
        Files.createDirectories(ctx.resolve("dir/sub"));
        Files.writeString(ctx.resolve("dir/sub/a"), "a\n");
        Files.writeString(ctx.resolve("dir/b.log"), "log\n");
    }

    @AfterEach
    void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(ctx)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private String copyKey(String spec) {
        BuildContext c = BuildContext.open(ctx);
        return BuildCache.key("sha256:parent", "COPY " + spec + " /d/", c.digest(c.sources(spec)));
    }

    @Test
    void aChangedSourceChangesTheKey() throws IOException {
        String before = copyKey("file.txt");
        Files.writeString(ctx.resolve("file.txt"), "two\n");
        assertThat(copyKey("file.txt")).isNotEqualTo(before);
    }

    @Test
    void anMtimeOnlyChangeKeepsTheKey() throws IOException {
        String file = copyKey("file.txt");
        String dir = copyKey("dir");
        Files.setLastModifiedTime(ctx.resolve("file.txt"), FileTime.fromMillis(86_400_000L));
        Files.setLastModifiedTime(ctx.resolve("dir/sub/a"), FileTime.fromMillis(86_400_000L));
        Files.setLastModifiedTime(ctx.resolve("dir/sub"), FileTime.fromMillis(86_400_000L));
        assertThat(copyKey("file.txt")).isEqualTo(file);
        assertThat(copyKey("dir")).isEqualTo(dir);
    }

    @Test
    void modesNamesAndNewFilesCount() throws IOException {
        String dir = copyKey("dir");
        Files.setPosixFilePermissions(ctx.resolve("dir/sub/a"), PosixFilePermissions.fromString("rwxr-xr-x"));
        String chmodded = copyKey("dir");
        assertThat(chmodded).isNotEqualTo(dir);
        Files.move(ctx.resolve("dir/sub/a"), ctx.resolve("dir/sub/renamed"));
        String renamed = copyKey("dir");
        assertThat(renamed).isNotEqualTo(chmodded);
        Files.writeString(ctx.resolve("dir/new"), "");
        assertThat(copyKey("dir")).isNotEqualTo(renamed);
    }

    @Test
    void aFileTheDockerignoreExcludesDoesNotCount() throws IOException {
        Files.writeString(ctx.resolve(".dockerignore"), "**/*.log\n");
        String dir = copyKey("dir");
        Files.writeString(ctx.resolve("dir/b.log"), "changed\n");
        assertThat(copyKey("dir")).isEqualTo(dir);
        BuildContext c = BuildContext.open(ctx);
        assertThat(c.entries(c.sources("dir").getFirst())).extracting(BuildContext.Entry::sub)
                .containsExactly("", "sub", "sub/a");
        assertThatThrownBy(() -> c.sources("dir/b.log")).hasMessageContaining(".dockerignore excludes it");
    }

    @Test
    void parentAndInstructionAreInTheKey() {
        assertThat(BuildCache.key("sha256:a", "RUN x", "")).isNotEqualTo(BuildCache.key("sha256:b", "RUN x", ""))
                .isNotEqualTo(BuildCache.key("sha256:a", "RUN y", ""))
                .isNotEqualTo(BuildCache.key("sha256:a", "RUN x", "V=1\n"))
                .isEqualTo(BuildCache.key("sha256:a", "RUN x", null))
                .hasSize(64);
    }

    @Test
    void wildcardsAndTheContextBoundary() throws IOException {
        BuildContext c = BuildContext.open(ctx);
        assertThat(c.sources("dir/*/a")).extracting(BuildContext.Source::rel).containsExactly("dir/sub/a");
        assertThat(c.sources("*.txt")).extracting(BuildContext.Source::rel).containsExactly("file.txt");
        assertThatThrownBy(() -> c.sources("../etc/passwd")).hasMessageContaining("outside the build context");
        assertThatThrownBy(() -> c.sources("*.none")).hasMessageContaining("matches");
        // a symlink out of the context resolves inside it, as the path would in a chroot
        Files.createSymbolicLink(ctx.resolve("out"), Path.of("/etc"));
        assertThatThrownBy(() -> c.sources("out/passwd")).hasMessageContaining("no such file");
        Files.createDirectories(ctx.resolve("etc"));
        Files.writeString(ctx.resolve("etc/passwd"), "mine\n");
        assertThat(c.sources("out/passwd")).extracting(BuildContext.Source::path)
                .containsExactly(ctx.resolve("etc/passwd"));
        assertThat(List.of(Files.readString(c.sources("out/passwd").getFirst().path()))).containsExactly("mine\n");
    }
}
