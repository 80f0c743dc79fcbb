package dev.nido.image.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialsTest {
    @TempDir
    Path tmp;

    private static String auth(String userPass) {
        return Base64.getEncoder().encodeToString(userPass.getBytes());
    }

    @Test
    void nidosFileFirstThenDockersWithItsManyNamesForDockerHub() throws IOException {
        Path nido = tmp.resolve("nido/auth.json");
        Path docker = tmp.resolve("docker/config.json");
        Files.createDirectories(nido.getParent());
        Files.createDirectories(docker.getParent());
        Files.writeString(nido, "{\"auths\":{\"localhost:5000\":{\"auth\":\"" + auth("ann:pw:with:colons") + "\"}}}");
        Files.writeString(docker, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + auth("bob:hub") + "\"},"
                + "\"localhost:5000\":{\"auth\":\"" + auth("other:x") + "\"},"
                + "\"ghcr.io\":{\"username\":\"carl\",\"password\":\"tok\"},\"quay.io\":{}},"
                + "\"credsStore\":\"desktop\"}");
        Credentials c = Credentials.at(nido, docker);
        assertThat(c.find("localhost:5000")).contains(new Credential("ann", "pw:with:colons"));
        assertThat(c.sourceOf("localhost:5000")).isEqualTo(nido.toString());
        assertThat(c.find("docker.io")).contains(new Credential("bob", "hub"));
        assertThat(c.sourceOf("docker.io")).isEqualTo(docker.toString());
        assertThat(c.find("ghcr.io")).contains(new Credential("carl", "tok"));
        assertThat(c.find("quay.io")).isEmpty();
        assertThat(c.find("example.com")).isEmpty();
        assertThat(new Credential("ann", "secret").toString()).doesNotContain("secret");
    }

    @Test
    void storeWrites0600AndKeepsOtherEntriesAndRemoveTakesOneOut() throws IOException {
        Path nido = tmp.resolve("cfg/nido/auth.json");
        Files.createDirectories(nido.getParent());
        Files.writeString(nido, "{\"auths\":{\"ghcr.io\":{\"auth\":\"" + auth("g:h") + "\"}},\"other\":true}");
        Credentials c = Credentials.at(nido, null);
        c.store("https://index.docker.io/v1/", new Credential("me", "pw"));
        c.store("localhost:5000", new Credential("you", "pw2"));
        c.store("localhost:5000", new Credential("you", "pw3"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nido))).isEqualTo("rw-------");
        String text = Files.readString(nido);
        assertThat(text).contains("\"other\": true").contains("\"docker.io\"").contains(auth("me:pw"))
                .contains(auth("g:h")).contains(auth("you:pw3")).doesNotContain(auth("you:pw2"));
        assertThat(Credentials.at(nido, null).find("docker.io")).contains(new Credential("me", "pw"));
        assertThat(c.remove("localhost:5000")).isTrue();
        assertThat(c.remove("localhost:5000")).isFalse();
        assertThat(c.find("localhost:5000")).isEmpty();
        assertThat(c.find("ghcr.io")).contains(new Credential("g", "h"));
        try (var s = Files.list(nido.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("auth.json"); // no temp files left
        }
    }

    @Test
    void aNewFileAndItsDirectoryAreCreatedPrivate() throws IOException {
        Path nido = tmp.resolve("new/nido/auth.json");
        Credentials.at(nido, null).store("r.example", new Credential("u", "p"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nido))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nido.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void aCorruptFileIsNamedInTheError() throws IOException {
        Path nido = tmp.resolve("auth.json");
        Files.writeString(nido, "{\"auths\": [");
        assertThatThrownBy(() -> Credentials.at(nido, null).find("x.io"))
                .hasMessageStartingWith(nido.toString()).hasMessageContaining("fix or delete the file");
        Files.writeString(nido, "{\"auths\": 3}");
        assertThatThrownBy(() -> Credentials.at(nido, null).find("x.io"))
                .hasMessageContaining("\"auths\" must be an object");
    }

    @Test
    void registryKeysAreNormalised() {
        assertThat(Credentials.key("https://index.docker.io/v1/")).isEqualTo("docker.io");
        assertThat(Credentials.key("registry-1.docker.io")).isEqualTo("docker.io");
        assertThat(Credentials.key("http://LocalHost:5000/v2/")).isEqualTo("localhost:5000");
        assertThat(Credentials.key("quay.io")).isEqualTo("quay.io");
    }
}
