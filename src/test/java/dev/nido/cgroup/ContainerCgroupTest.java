package dev.nido.cgroup;

import dev.nido.linux.RecordingSyscalls;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exact kernel operations of placing a container, checked without root. */
class ContainerCgroupTest {
    static final CgroupLayout TWO = CgroupLayout.parse(List.of(
            "35 31 0:32 / /nonexistent/cg/memory rw - cgroup cgroup rw,memory",
            "41 31 0:38 / /nonexistent/cg/unified rw - cgroup2 cgroup2 rw"));

    @Test
    void createMakesParentsThenLeafInEveryHierarchyAndAttachWritesThePid() {
        RecordingSyscalls sys = new RecordingSyscalls();
        ContainerCgroup cg = ContainerCgroup.of(sys, TWO, "/nido/box");
        List<Path> created = cg.create();
        assertThat(created).containsExactly(Path.of("/nonexistent/cg/memory/nido"),
                Path.of("/nonexistent/cg/memory/nido/box"), Path.of("/nonexistent/cg/unified/nido"),
                Path.of("/nonexistent/cg/unified/nido/box"));
        cg.attach(4242);
        assertThat(sys.calls()).containsExactly(
                "mkdir /nonexistent/cg/memory/nido 0755",
                "mkdir /nonexistent/cg/memory/nido/box 0755",
                "mkdir /nonexistent/cg/unified/nido 0755",
                "mkdir /nonexistent/cg/unified/nido/box 0755",
                "writeFile /nonexistent/cg/memory/nido/box/cgroup.procs 4242",
                "writeFile /nonexistent/cg/unified/nido/box/cgroup.procs 4242");
    }

    @Test
    void removeDeletesOnlyWhatWasCreatedDeepestFirst() {
        RecordingSyscalls sys = new RecordingSyscalls();
        ContainerCgroup cg = ContainerCgroup.of(sys, TWO, "/nido/box");
        cg.remove(List.of(Path.of("/nonexistent/cg/memory/nido"), Path.of("/nonexistent/cg/memory/nido/box")));
        assertThat(sys.calls()).containsExactly("rmdir /nonexistent/cg/memory/nido/box", "rmdir /nonexistent/cg/memory/nido");
    }

    @Test
    void aFailedMkdirUndoesWhatThisCallCreated() {
        RecordingSyscalls sys = new RecordingSyscalls().failWhen("mkdir /nonexistent/cg/unified/nido", 13);
        ContainerCgroup cg = ContainerCgroup.of(sys, TWO, "/nido/box");
        assertThatThrownBy(cg::create).isInstanceOf(CgroupException.class)
                .hasMessageContaining("create cgroup /nonexistent/cg/unified/nido").hasMessageContaining("EACCES");
        assertThat(sys.calls()).containsSubsequence("rmdir /nonexistent/cg/memory/nido/box",
                "rmdir /nonexistent/cg/memory/nido");
    }
}
