package dev.nido.oci;

import static dev.nido.oci.SpecFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecReaderTest {

    @Test
    void readsAValidBundle(@TempDir Path dir) throws IOException {
        Path bundle = SpecFixtures.bundle(dir, SpecFixtures.FULL);
        RuntimeSpec spec = SpecReader.read(bundle);
        assertThat(spec.hostname()).isEqualTo("box");
    }

    @Test
    void missingConfigSaysHowToMakeOne(@TempDir Path dir) {
        assertThatThrownBy(() -> SpecReader.read(dir))
                .isInstanceOf(SpecException.class)
                .hasMessage("config.json: not found in bundle " + dir + " (run 'nido-runtime spec' there to create one)");
    }

    @Test
    void missingRootfsIsReportedWithItsPath(@TempDir Path dir) throws IOException {
        SpecFixtures.bundle(dir, new String(SpecReader.write(DefaultSpec.create(false))));
        java.nio.file.Files.delete(dir.resolve("rootfs"));
        assertThatThrownBy(() -> SpecReader.read(dir))
                .hasMessage("config.json: root.path: rootfs directory " + dir.resolve("rootfs") + " does not exist");
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        String json = "{\n  \"ociVersion\": \"1.2.0\",\n  \"a\": }\n";
        SpecException e = catchThrowableOfType(SpecException.class, () -> SpecReader.parse(bytes(json), "config.json"));
        assertThat(e).hasMessage("config.json: line 3, column 8: unexpected character '}' (expected a value)");
        assertThat(e.violations()).hasSize(1);
    }

    @Test
    void emptyDocument() {
        assertThatThrownBy(() -> SpecReader.parse(new byte[0], "config.json"))
                .hasMessage("config.json: empty document (expected a JSON object)");
        assertThatThrownBy(() -> SpecReader.parse(bytes("null"), "config.json"))
                .hasMessage("config.json: expected a JSON object, got null");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"a\": 1,}          | line 1, column 9: unexpected character '}' (expected '\"' to start a field name)",
        "{\"a\" 1}            | line 1, column 6: unexpected character '1' (expected ':' after a field name)",
        "{\"a\": 1 \"b\": 2}  | line 1, column 9: unexpected character '\"' (expected ',' or '}')",
        "{\"a\": 1            | line 1, column 8: unexpected end of input (expected '}' to close the object opened at line 1, column 1)",
        "{\"a\": [1, 2}       | line 1, column 12: unexpected '}' (expected ']' to close the array opened at line 1, column 7)",
        "{\"a\": tru}         | line 1, column 11: unrecognized token 'tru' (expected a string, number, array, object, true, false or null)",
        "{\"a\": 01}          | line 1, column 8: invalid number: leading zeroes not allowed",
        "{\"a\": 1 // c\\n}   | line 1, column 9: unexpected character '/' (comments are not allowed in JSON)",
        "{} {}                | line 1, column 4: unexpected data after the end of the JSON document",
        "[1]                  | line 1, column 1: expected an object, got an array",
    })
    void syntaxErrorsInOurWords(String json, String message) {
        assertThatThrownBy(() -> SpecReader.parse(bytes(json.strip().replace("\\n", "\n")), "config.json"))
                .isInstanceOf(SpecException.class)
                .hasMessage("config.json: " + message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"process\": {\"user\": {\"uid\": \"abc\"}}}     | process.user.uid: expected a number, got \"abc\"",
        "{\"process\": {\"user\": {\"uid\": 1.5}}}         | process.user.uid: expected an integer, got 1.5",
        "{\"process\": {\"user\": {\"uid\": {}}}}          | process.user.uid: expected a number, got an object",
        "{\"process\": {\"terminal\": \"yes\"}}            | process.terminal: expected true or false, got \"yes\"",
        "{\"process\": {\"args\": \"sh\"}}                 | process.args: expected an array, got \"sh\"",
        "{\"process\": {\"args\": [\"sh\", 1]}}            | process.args[1]: expected a string, got 1",
        "{\"process\": {\"args\": [\"sh\", null]}}         | process.args[1]: must not be null",
        "{\"process\": \"sh\"}                             | process: expected an object, got \"sh\"",
        "{\"process\": {\"oomScoreAdj\": 99999999999}}     | process.oomScoreAdj: 99999999999 is out of range (expected a 32-bit integer)",
        "{\"linux\": {\"resources\": {\"memory\": {\"limit\": 99999999999999999999}}}} | linux.resources.memory.limit: 99999999999999999999 is out of range (expected a 64-bit integer)",
        "{\"process\": {\"rlimits\": [{\"soft\": -1}]}}    | process.rlimits[0].soft: -1 is out of range (expected 0 to 18446744073709551615)",
        "{\"process\": {\"rlimits\": [{\"hard\": 18446744073709551616}]}} | process.rlimits[0].hard: 18446744073709551616 is out of range (expected 0 to 18446744073709551615)",
        "{\"linux\": {\"sysctl\": {\"net.ipv4.ip_forward\": 1}}} | linux.sysctl[\"net.ipv4.ip_forward\"]: expected a string, got 1",
        "{\"linux\": {\"namespaces\": [{\"type\": \"pid\"}, [\"net\"]]}} | linux.namespaces[1]: expected an object, got an array",
        "{\"linux\": {\"timeOffsets\": {\"monotonic\": {\"secs\": true}}}} | linux.timeOffsets.monotonic.secs: expected a number, got true",
    })
    void wrongTypesNameTheJsonPath(String json, String message) {
        assertThatThrownBy(() -> SpecReader.parse(bytes(json.strip()), "config.json"))
                .isInstanceOf(SpecException.class)
                .hasMessage("config.json: " + message);
    }

    @Test
    void messagesNeverShowJavaInternals() {
        String[] inputs = {"{\"process\": {\"user\": []}}", "{\"root\": 1}", "{\"mounts\": {}}", "{\"x\": [}",
            "{\"process\": {\"capabilities\": {\"bounding\": [[]]}}}"};
        for (String json : inputs) {
            SpecException e = catchThrowableOfType(SpecException.class, () -> SpecReader.parse(bytes(json), "config.json"));
            assertThat(e.getMessage()).as(json).startsWith("config.json: ")
                    .doesNotContain("dev.nido", "java.", "Source", "jackson", "`", "Exception", "code ");
        }
    }

    @Test
    void jsonReadUsesTheSourceName() {
        assertThatThrownBy(() -> Json.read(bytes("{\"args\": 5}"), Process.class, "process.json"))
                .hasMessage("process.json: args: expected an array, got 5");
    }
}
