package dev.nido.image.build;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DockerIgnoreTest {
    @Test
    void starMatchesWithinOneDirectory() {
        DockerIgnore i = DockerIgnore.parse("*.log\n# comment\n\n/tmp?\n");
        assertThat(i.excluded("a.log")).isTrue();
        assertThat(i.excluded("sub/a.log")).isFalse();
        assertThat(i.excluded("tmp1")).isTrue();
        assertThat(i.excluded("tmp12")).isFalse();
        assertThat(i.excluded("a.txt")).isFalse();
    }

    @Test
    void doubleStarMatchesAnyDepth() {
        DockerIgnore i = DockerIgnore.parse("**/*.o\ndocs/**/draft.md\n");
        assertThat(i.excluded("x.o")).isTrue();
        assertThat(i.excluded("a/b/c/x.o")).isTrue();
        assertThat(i.excluded("docs/draft.md")).isTrue();
        assertThat(i.excluded("docs/a/b/draft.md")).isTrue();
        assertThat(i.excluded("docs/a/final.md")).isFalse();
    }

    @Test
    void aDirectoryExcludesItsContentAndTheLastMatchWins() {
        DockerIgnore i = DockerIgnore.parse("build/\n!build/keep.txt\n*.md\n!README.md\n");
        assertThat(i.excluded("build")).isTrue();
        assertThat(i.excluded("build/out/x")).isTrue();
        assertThat(i.excluded("build/keep.txt")).isFalse();
        assertThat(i.excluded("NOTES.md")).isTrue();
        assertThat(i.excluded("README.md")).isFalse();
        assertThat(i.hasExceptions()).isTrue();
        assertThat(DockerIgnore.parse("a\n").hasExceptions()).isFalse();
    }

    @Test
    void pathsAreCleanedAndClassesWork() {
        DockerIgnore i = DockerIgnore.parse("./secret/../secret\nfile[0-9].txt\nx[!a]\n");
        assertThat(i.excluded("secret/key")).isTrue();
        assertThat(i.excluded("./secret")).isTrue();
        assertThat(i.excluded("file7.txt")).isTrue();
        assertThat(i.excluded("filex.txt")).isFalse();
        assertThat(i.excluded("xb")).isTrue();
        assertThat(i.excluded("xa")).isFalse();
        assertThat(i.excluded("")).isFalse();
    }
}
