package dev.nido.runtime.plan;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlanEncoderTest {
    private static String hex(LaunchPlan p) {
        return HexFormat.of().formatHex(PlanEncoder.encode(p));
    }

    @Test
    void emptyPlanIsMagicVersionAndEnd() {
        assertThat(hex(new LaunchPlan(List.of()))).isEqualTo("4e49444f" + "01000000" + "0000" + "0000" + "00000000");
    }

    @Test
    void encodesFieldsLittleEndianInTableOrder() {
        LaunchPlan p = new LaunchPlan(List.of(
                new PlanStep.Mode(PlanStep.Mode.MONITOR),
                new PlanStep.Clone(0x20000000L),
                new PlanStep.SetHostname("ab"),
                new PlanStep.Exec("x", List.of("x", "-y"), List.of())));
        assertThat(hex(p)).isEqualTo("4e49444f01000000"
                + "0100" + "0000" + "04000000" + "02000000"                       // MODE 2
                + "0500" + "0000" + "08000000" + "0000002000000000"               // CLONE CLONE_NEWPID
                + "0b00" + "0000" + "06000000" + "02000000" + "6162"             // SETHOSTNAME "ab"
                + "2300" + "0000" + "18000000"                                    // EXEC, 24 bytes
                + "01000000" + "78"                                               //   path "x"
                + "02000000" + "01000000" + "78" + "02000000" + "2d79"           //   argv [x, -y]
                + "00000000"                                                      //   env []
                + "0000000000000000");                                            // END
    }

    @Test
    void monitorEncodesPathsFlagsLogLimitsAndExitCommand() {
        LaunchPlan p = new LaunchPlan(List.of(new PlanStep.Monitor("/d", "/s", "", PlanStep.Monitor.STDIN_OPEN,
                300, 2, List.of("/x"))));
        assertThat(hex(p)).isEqualTo("4e49444f01000000"
                + "2a00" + "0000" + "2a000000"                                    // MONITOR, 42 bytes
                + "02000000" + "2f64" + "02000000" + "2f73" + "00000000"          //   dir, socket, client ""
                + "01000000" + "2c01000000000000" + "02000000"                    //   flags, logMax 300, logFiles 2
                + "01000000" + "02000000" + "2f78"                                //   exitCommand [/x]
                + "0000000000000000");
    }

    @Test
    void mountCarriesTargetFlags() {
        LaunchPlan p = new LaunchPlan(List.of(new PlanStep.Mount("proc", "/proc", "proc", 14, "",
                PlanStep.Mount.IN_ROOT | PlanStep.Mount.MKDIR)));
        assertThat(hex(p)).isEqualTo("4e49444f01000000"
                + "0e00" + "0000" + "29000000"
                + "04000000" + "70726f63" + "05000000" + "2f70726f63" + "04000000" + "70726f63"
                + "0e00000000000000" + "00000000" + "03000000"
                + "0000000000000000");
    }

    @Test
    void userStepEncodesGroupsAsDecimalStrings() {
        byte[] b = PlanEncoder.encode(new LaunchPlan(List.of(
                new PlanStep.User(1000, 1000, List.of(5, 27), 40, 1, 2, 3, 4, 5))));
        // header 8 + op header 8 + uid 4 + gid 4 + strv (4 + 4+1 + 4+2) + lastCap 4 + 5 * 8 + END 8
        assertThat(b).hasSize(8 + 8 + 4 + 4 + 15 + 4 + 40 + 8);
    }

    @Test
    void everyStepHasAShellLineAndADescription() {
        for (PlanStep s : List.of(new PlanStep.PivotRoot(), new PlanStep.MaskPath("/proc/kcore"),
                new PlanStep.Mknod("/dev/null", 0020666, Devices.makedev(1, 3), 0, 0),
                new PlanStep.Mount("/h", "/c", "", 4096 | 16384, "", 1))) {
            assertThat(s.toShell()).isNotBlank();
            assertThat(s.describe()).isNotBlank();
        }
        assertThat(new PlanStep.Mknod("/dev/null", 0020666, Devices.makedev(1, 3), 0, 0).toShell())
                .isEqualTo("mknod -m 666 $ROOTFS/dev/null c 1 3");
        assertThat(new PlanStep.Mount("/h", "/c", "", 4096 | 16384 | 1, "", 1).toShell())
                .isEqualTo("mount --rbind -o ro /h $ROOTFS/c");
        assertThat(new PlanStep.Mount("", "/", "", (1 << 19) | 16384, "", 0).toShell())
                .isEqualTo("mount --make-rslave /");
    }

    @Test
    void devicesRoundTrip() {
        long dev = Devices.makedev(259, 70000);
        assertThat(Devices.major(dev)).isEqualTo(259);
        assertThat(Devices.minor(dev)).isEqualTo(70000);
        assertThat(Devices.makedev(1, 3)).isEqualTo(0x103);
    }
}
