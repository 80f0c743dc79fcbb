package dev.nido.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Root starts a container whose root is an unprivileged host range (LXC's
 * {@code lxc.idmap = u 0 100000 65536}): the rootfs, owned by host root, is mounted id-mapped so the
 * container's root owns it while the files on disk keep their ids; id-mapped bind mounts from
 * {@code mounts[].uidMappings}; host root's files stay out of reach.
 */
class UserNamespaceIT {
    private Sandbox box;
    private Path rootfs;

    @BeforeEach
    void setUp() throws IOException {
        box = new Sandbox();
        // the container's root is host uid 100000: it must be able to reach the rootfs
        Files.setPosixFilePermissions(box.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        rootfs = box.dir.resolve("rootfs-copy");
        Cli.Result cp = Cli.raw(null, List.of("cp", "-a", Sandbox.rootfs().toString(), rootfs.toString()));
        assertThat(cp.code()).as(cp.toString()).isZero();
        ((ObjectNode) box.config.get("root")).put("path", rootfs.toString()).put("readonly", false);
        ArrayNode ns = (ArrayNode) box.linux().get("namespaces");
        ns.addObject().put("type", "user");
        map(box.linux().putArray("uidMappings"));
        map(box.linux().putArray("gidMappings"));
        // a user namespace cannot mount sysfs without its own network namespace: bind the host's
        for (var m : box.config.get("mounts")) {
            if (m.get("destination").asText().equals("/sys")) {
                ((ObjectNode) m).put("type", "none").put("source", "/sys");
                ((ObjectNode) m).putArray("options").add("rbind").add("nosuid").add("noexec").add("nodev").add("ro");
            }
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        box.close();
    }

    private static void map(ArrayNode a) {
        a.addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
    }

    @Test
    void theContainersRootOwnsAnIdmappedRootfsAndItsWritesKeepHostIds() throws IOException {
        box.args("/bin/sh", "-c", "cat /proc/self/uid_map; stat -c %u:%g /bin/busybox; echo hi > /tmp/made"
                + " && stat -c made=%u /tmp/made; awk '$5 == \"/\"' /proc/self/mountinfo");
        box.write("u1");
        Cli.Result r = box.cli("run", "--bundle", box.bundle.toString(), "u1");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow().trim().split("\\s+"))
                .containsExactly("0", "100000", "65536");
        assertThat(r.out()).contains("0:0\n").contains("made=0").contains("idmapped");
        // on disk, the file belongs to host root, like the rest of the image (nothing was chowned)
        assertThat(Files.getAttribute(rootfs.resolve("tmp/made"), "unix:uid")).isEqualTo(0);
        assertThat(Files.getAttribute(rootfs.resolve("bin/busybox"), "unix:uid")).isEqualTo(0);
    }

    @Test
    void withTheAnnotationOffTheImageBelongsToNobody() throws IOException {
        box.config.putObject("annotations").put("dev.nido.rootfs.idmap", "false");
        box.args("/bin/sh", "-c", "stat -c %u /bin/busybox; echo hi > /tmp/made; echo rc=$?");
        box.write("u2");
        Cli.Result r = box.cli("run", "--bundle", box.bundle.toString(), "u2");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("65534").contains("rc=1");
        assertThat(rootfs.resolve("tmp/made")).doesNotExist();
    }

    @Test
    void aBadAnnotationValueIsRefused() throws IOException {
        box.config.putObject("annotations").put("dev.nido.rootfs.idmap", "yes");
        box.write("u3");
        Cli.Result r = box.cli("run", "--bundle", box.bundle.toString(), "u3");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("dev.nido.rootfs.idmap").contains("\"yes\"").doesNotContain("Exception");
        assertThat(box.root.resolve("u3")).doesNotExist();
    }

    @Test
    void rootInsideCannotReadHostRootsFilesButAnIdmappedBindMountShowsThemAsItsOwn() throws IOException {
        Path share = Files.createDirectories(box.dir.resolve("share"));
        Path secret = share.resolve("secret");
        Files.writeString(secret, "s3cret\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        ArrayNode mounts = (ArrayNode) box.config.get("mounts");
        ObjectNode plain = mounts.addObject().put("destination", "/plain").put("type", "none")
                .put("source", share.toString());
        plain.putArray("options").add("bind").add("ro");
        ObjectNode mapped = mounts.addObject().put("destination", "/mapped").put("type", "none")
                .put("source", share.toString());
        mapped.putArray("options").add("bind").add("idmap");
        map(mapped.putArray("uidMappings"));
        map(mapped.putArray("gidMappings"));
        box.args("/bin/sh", "-c", "cat /plain/secret; echo plain=$?; stat -c owner=%u /mapped/secret;"
                + " cat /mapped/secret; echo mapped=$?; awk '$5 == \"/mapped\"' /proc/self/mountinfo");
        box.write("u4");
        Cli.Result r = box.cli("run", "--bundle", box.bundle.toString(), "u4");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("plain=1").contains("owner=0").contains("s3cret").contains("mapped=0")
                .contains("idmapped");
        assertThat(r.err()).contains("Permission denied");
    }

    @Test
    void overlappingHostRangesAreOneClearError() throws IOException {
        ((ArrayNode) box.linux().get("uidMappings")).addObject().put("containerID", 70000).put("hostID", 100005)
                .put("size", 1);
        box.write("u5");
        Cli.Result r = box.cli("run", "--bundle", box.bundle.toString(), "u5");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("linux.uidMappings[1]: host range 100005-100005 overlaps").doesNotContain("Exception");
    }
}
