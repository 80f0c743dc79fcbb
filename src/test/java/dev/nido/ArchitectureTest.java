package dev.nido;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Package rules of CONVENTIONS.md, checked by reading the imports of every main source file. */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java");

    private record Source(String packagePath, String text) {
    }

    private static List<Source> sources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .map(p -> new Source(MAIN.relativize(p.getParent()).toString().replace('\\', '/'), read(p)))
                    .toList();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> importers(List<Source> sources, String pkg, String allowedPrefix) {
        Pattern importLine = Pattern.compile("^\\s*import\\s+(static\\s+)?" + Pattern.quote(pkg) + "\\.",
                Pattern.MULTILINE);
        return sources.stream()
                .filter(s -> importLine.matcher(s.text()).find())
                .map(Source::packagePath)
                .filter(dir -> !(dir + "/").startsWith(allowedPrefix))
                .toList();
    }

    @Test
    void sourcesAreFound() throws IOException {
        assertThat(sources()).extracting(Source::packagePath).contains("dev/nido/linux");
    }

    @Test
    void onlyLinuxUsesForeignFunctions() throws IOException {
        assertThat(importers(sources(), "java.lang.foreign", "dev/nido/linux/")).isEmpty();
        assertThat(sources()).filteredOn(s -> !s.packagePath().startsWith("dev/nido/linux"))
                .extracting(Source::text)
                .noneMatch(text -> text.contains("java.lang.foreign."));
    }

    @Test
    void nobodyImportsTheCli() throws IOException {
        assertThat(importers(sources(), "dev.nido.cli", "dev/nido/cli/")).isEmpty();
    }

    @Test
    void securityProducesDataAndNeverReachesTheKernel() throws IOException {
        List<Source> security = sources().stream().filter(s -> s.packagePath().startsWith("dev/nido/security")).toList();
        assertThat(security).isNotEmpty();
        for (String pkg : List.of("dev.nido.linux", "java.lang.foreign", "dev.nido.runtime", "dev.nido.cli")) {
            assertThat(importers(security, pkg, "-")).as("imports of %s", pkg).isEmpty();
            assertThat(security).extracting(Source::text).as("uses of %s", pkg).noneMatch(t -> t.contains(pkg + "."));
        }
    }

    @Test
    void theCheckSeesAViolation() {
        List<Source> fake = List.of(new Source("dev/nido/runtime", "package x;\nimport java.lang.foreign.Arena;\n"),
                new Source("dev/nido/linux", "import java.lang.foreign.Arena;"),
                new Source("dev/nido/engine", "import static dev.nido.cli.Main.main;"));
        assertThat(importers(fake, "java.lang.foreign", "dev/nido/linux/")).containsExactly("dev/nido/runtime");
        assertThat(importers(fake, "dev.nido.cli", "dev/nido/cli/")).containsExactly("dev/nido/engine");
    }
}
