package dev.nido.oci;

import static dev.nido.oci.Mounts.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MountsTest {

    @Test
    void kernelConstantsMatchSysMountH() {
        assertThat(List.of(MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_SYNCHRONOUS, MS_REMOUNT, MS_MANDLOCK,
                MS_DIRSYNC, MS_NOSYMFOLLOW, MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_MOVE, MS_REC, MS_SILENT))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 1024L, 2048L, 4096L, 8192L, 16384L, 32768L);
        assertThat(List.of(MS_UNBINDABLE, MS_PRIVATE, MS_SLAVE, MS_SHARED, MS_RELATIME, MS_I_VERSION, MS_STRICTATIME,
                MS_LAZYTIME)).containsExactly(131072L, 262144L, 524288L, 1048576L, 2097152L, 8388608L, 16777216L,
                33554432L);
    }

    @Test
    void typicalBindMount() {
        MountOptions o = Mounts.parse(List.of("nosuid", "noexec", "ro", "rbind", "rprivate", "mode=755", "size=65536k"));
        assertThat(o).isEqualTo(new MountOptions(MS_NOSUID | MS_NOEXEC | MS_RDONLY | MS_BIND | MS_REC, 0,
                MS_PRIVATE | MS_REC, 0, 0, true, true, "mode=755,size=65536k", false, false, false));
        assertThat(o.flags()).isEqualTo(2 | 8 | 1 | 4096 | 16384);
        assertThat(o.has(MS_RDONLY)).isTrue();
        assertThat(o.has(MS_NODEV)).isFalse();
    }

    static Stream<Arguments> table() {
        return Stream.of(
                row("", 0, 0, 0, 0, 0, ""),
                row("defaults", 0, 0, 0, 0, 0, ""),
                row("ro,rw", 0, MS_RDONLY, 0, 0, 0, ""),
                row("rw,ro", MS_RDONLY, 0, 0, 0, 0, ""),
                row("nosuid,suid,nodev", MS_NODEV, MS_NOSUID, 0, 0, 0, ""),
                row("bind,remount,ro", MS_BIND | MS_REMOUNT | MS_RDONLY, 0, 0, 0, 0, ""),
                row("relatime,norelatime,strictatime", MS_STRICTATIME, MS_RELATIME, 0, 0, 0, ""),
                row("sync,async", 0, MS_SYNCHRONOUS, 0, 0, 0, ""),
                row("silent,dirsync,mand,iversion,lazytime,nosymfollow,noatime,nodiratime",
                        MS_SILENT | MS_DIRSYNC | MS_MANDLOCK | MS_I_VERSION | MS_LAZYTIME | MS_NOSYMFOLLOW
                                | MS_NOATIME | MS_NODIRATIME, 0, 0, 0, 0, ""),
                row("loud,exec,dev,atime,diratime,nomand,noiversion,nolazytime,nostrictatime,symfollow", 0,
                        MS_SILENT | MS_NOEXEC | MS_NODEV | MS_NOATIME | MS_NODIRATIME | MS_MANDLOCK | MS_I_VERSION
                                | MS_LAZYTIME | MS_STRICTATIME | MS_NOSYMFOLLOW, 0, 0, 0, ""),
                row("shared", 0, 0, MS_SHARED, 0, 0, ""),
                row("rslave", 0, 0, MS_SLAVE | MS_REC, 0, 0, ""),
                row("private,runbindable", 0, 0, MS_UNBINDABLE | MS_REC, 0, 0, ""),
                row("rro,rnosuid,rnodev,rnoexec,rnodiratime,rnosymfollow", 0, 0, 0,
                        MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC
                                | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW, 0, ""),
                row("rrw,rsuid,rdev,rexec,rdiratime,rsymfollow", 0, 0, 0, 0,
                        MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC
                                | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW, ""),
                // mount_setattr(2): an atime mode in attr_set needs MOUNT_ATTR__ATIME in attr_clr
                row("rnoatime", 0, 0, 0, MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME, ""),
                row("rstrictatime", 0, 0, 0, MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME, ""),
                row("rrelatime", 0, 0, 0, MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME, ""),
                row("ratime", 0, 0, 0, 0, MOUNT_ATTR_NOATIME, ""),
                row("rro,rrw", 0, 0, 0, 0, MOUNT_ATTR_RDONLY, ""),
                row("nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5", MS_NOSUID | MS_NOEXEC, 0, 0, 0, 0,
                        "newinstance,ptmxmode=0666,mode=0620,gid=5"),
                row("X-mount.mkdir,lowerdir=/a:/b,upperdir=/u,workdir=/w,userxattr", 0, 0, 0, 0, 0,
                        "lowerdir=/a:/b,upperdir=/u,workdir=/w,userxattr"),
                row("context=\"system_u:object_r:x:s0:c1,c2\"", 0, 0, 0, 0, 0,
                        "context=\"system_u:object_r:x:s0:c1,c2\""));
    }

    private static Arguments row(String options, long flags, long clear, long propagation, long recSet,
            long recClear, String data) {
        return Arguments.of(options, flags, clear, propagation, recSet, recClear, data);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("table")
    void optionsToFlags(String options, long flags, long clear, long propagation, long recSet, long recClear,
            String data) {
        List<String> list = options.isEmpty() ? List.of() : splitOptions(options);
        MountOptions o = Mounts.parse(list);
        assertThat(o.flags()).as("flags").isEqualTo(flags);
        assertThat(o.clearFlags()).as("clearFlags").isEqualTo(clear);
        assertThat(o.propagation()).as("propagation").isEqualTo(propagation);
        assertThat(o.recursiveSet()).as("recursiveSet").isEqualTo(recSet);
        assertThat(o.recursiveClear()).as("recursiveClear").isEqualTo(recClear);
        assertThat(o.data()).as("data").isEqualTo(data);
    }

    /** Splits on commas outside double quotes (an SELinux context holds commas). */
    private static List<String> splitOptions(String options) {
        if (options.startsWith("context=")) {
            return List.of(options);
        }
        return Arrays.asList(options.split(","));
    }

    @Test
    void extensions() {
        MountOptions o = Mounts.parse(List.of("tmpcopyup", "ridmap"));
        assertThat(o.tmpcopyup()).isTrue();
        assertThat(o.idmap()).isTrue();
        assertThat(o.recursiveIdmap()).isTrue();
        assertThat(o.data()).isEmpty();
        assertThat(Mounts.parse(List.of("idmap")).recursiveIdmap()).isFalse();
    }

    @Test
    void bindTypeMakesABindMount() {
        MountOptions o = Mounts.parse(Mount.of("/x", "bind", "/y", List.of("ro")));
        assertThat(o.bind()).isTrue();
        assertThat(o.recursiveBind()).isFalse();
        assertThat(o.flags()).isEqualTo(MS_BIND | MS_RDONLY);
        assertThat(Mounts.parse(Mount.of("/x", "bind", "/y", List.of("rbind"))).recursiveBind()).isTrue();
        assertThat(Mounts.parse(Mount.of("/x", "tmpfs", "tmpfs", List.of())).bind()).isFalse();
    }

    @Test
    void propagationParse() {
        assertThat(Propagation.parse("rslave")).isEqualTo(MS_SLAVE | MS_REC);
        assertThat(Propagation.parse("shared")).isEqualTo(MS_SHARED);
        assertThat(Propagation.parse("runbindable")).isEqualTo(MS_UNBINDABLE | MS_REC);
        assertThat(Propagation.parse("private")).isEqualTo(MS_PRIVATE);
        assertThat(Propagation.find("slavish")).isEmpty();
        assertThatThrownBy(() -> Propagation.parse("slavish")).hasMessageStartingWith("unknown propagation \"slavish\"");
    }

    @Test
    void destinationsAreCleaned() {
        assertThat(Mounts.normalizeDestination("dev/shm")).contains("/dev/shm");
        assertThat(Mounts.normalizeDestination("/a/./b//c/../d/")).contains("/a/b/d");
        assertThat(Mounts.normalizeDestination("/")).contains("/");
        assertThat(Mounts.normalizeDestination("/a/..")).contains("/");
        assertThat(Mounts.normalizeDestination("/../etc")).isEmpty();
        assertThat(Mounts.normalizeDestination("a/../../b")).isEmpty();
    }

    @Test
    void knownOptionsListHasNoFilesystemData() {
        assertThat(Mounts.knownOptions()).contains("ro", "rro", "rslave", "tmpcopyup", "idmap")
                .doesNotContain("newinstance", "mode=755").isSorted();
    }
}
