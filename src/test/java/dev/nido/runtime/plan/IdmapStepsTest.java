package dev.nido.runtime.plan;

import dev.nido.oci.DefaultSpec;
import dev.nido.oci.RuntimeSpec;
import dev.nido.oci.SpecReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Id-mapped trees are made by the helper before any namespace is joined and moved into place by the child. */
class IdmapStepsTest {
    @TempDir
    Path bundle;

    private RuntimeSpec spec(String extraMount) throws IOException {
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.createDirectories(bundle.resolve("share"));
        String json = new String(SpecReader.write(DefaultSpec.create(false, 0, 0)))
                .replaceFirst("\"namespaces\": \\[", "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000,"
                        + " \"size\": 65536}], \"gidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],"
                        + " \"namespaces\": [{\"type\": \"user\"},")
                .replaceFirst("\"type\": \"network\"", "\"type\": \"network\", \"path\": \"/run/netns/x\"")
                .replaceFirst("\"mounts\": \\[", "\"mounts\": [" + extraMount);
        Files.writeString(bundle.resolve("config.json"), json);
        return SpecReader.read(bundle);
    }

    private static LaunchOptions opts(boolean idmapRootfs) {
        return new LaunchOptions(false, null, false, -1, false, 40, List.of(), null, false, idmapRootfs);
    }

    @Test
    void anIdmappedRootfsIsMadeBeforeTheJoinsAndMovedOntoTheRootfs() throws IOException {
        LaunchPlan p = PlanBuilder.container(spec(""), bundle, opts(true));
        String rootfs = bundle.resolve("rootfs").toString();
        assertThat(p.steps().get(1)).isEqualTo(new PlanStep.IdmapTree(rootfs, true, "0 100000 65536\n",
                "0 100000 65536\n", 0));
        assertThat(p.steps().get(2)).isInstanceOf(PlanStep.JoinNamespace.class);
        assertThat(p.steps()).contains(new PlanStep.MoveTree(0, rootfs, 0));
        assertThat(p.steps()).noneMatch(s -> s instanceof PlanStep.Mount m && m.target().equals(rootfs));
    }

    @Test
    void withoutItTheRootfsIsBoundOnItself() throws IOException {
        LaunchPlan p = PlanBuilder.container(spec(""), bundle, opts(false));
        assertThat(p.steps()).noneMatch(s -> s instanceof PlanStep.IdmapTree || s instanceof PlanStep.MoveTree);
    }

    @Test
    void aBindMountWithMappingsBecomesATreeWithItsFlagsAsAttributes() throws IOException {
        String share = bundle.resolve("share").toString();
        LaunchPlan p = PlanBuilder.container(spec("{\"destination\": \"/data\", \"type\": \"none\", \"source\": \""
                + share + "\", \"options\": [\"bind\", \"ro\", \"nosuid\", \"idmap\"], \"uidMappings\": [{\"containerID\": 0,"
                + " \"hostID\": 1000, \"size\": 1}], \"gidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]},"),
                bundle, opts(true));
        assertThat(p.steps()).contains(new PlanStep.IdmapTree(share, false, "0 1000 1\n", "0 1000 1\n", 1 | 2));
        assertThat(p.steps()).contains(new PlanStep.MoveTree(1, "/data",
                PlanStep.Mount.IN_ROOT | PlanStep.Mount.MKDIR));
        int tree = p.steps().indexOf(new PlanStep.IdmapTree(share, false, "0 1000 1\n", "0 1000 1\n", 3));
        int clone = p.steps().indexOf(p.steps().stream().filter(s -> s instanceof PlanStep.Clone).findFirst().orElseThrow());
        assertThat(tree).isLessThan(clone);
        assertThat(p.toShell()).anyMatch(l -> l.contains("X-mount.idmap='u:0:1000:1 g:0:1000:1'"));
    }
}
