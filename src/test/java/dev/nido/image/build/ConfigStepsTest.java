package dev.nido.image.build;

import dev.nido.oci.ContainerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigStepsTest {
    private final BuildState st = new BuildState(Map.of("V", "given"));

    private ConfigSteps.Change apply(String line) {
        Instruction ins = Containerfile.parse("FROM x\n" + line + "\n", "Containerfile").instructions().get(1);
        ConfigSteps.Change c = ConfigSteps.apply(ins, st);
        st.config = c.config();
        return c;
    }

    @Test
    void bothEnvFormsAndSubstitutionFromEarlierSteps() {
        assertThat(apply("ENV A=1 B=\"two words\" C=${A}").text()).isEqualTo("ENV A=1 B=\"two words\" C=\"\"");
        assertThat(apply("ENV D the rest  of the line").text()).isEqualTo("ENV D=\"the rest  of the line\"");
        assertThat(apply("ENV E=$A-${B}-${NONE:-dflt}").text()).isEqualTo("ENV E=\"1-two words-dflt\"");
        apply("ENV A=changed");
        assertThat(st.config.env()).containsExactly("B=two words", "C=", "D=the rest  of the line",
                "E=1-two words-dflt", "A=changed");
    }

    @Test
    void argsSubstituteButEnvWins() {
        st.args.put("V", "arg");
        st.args.put("W", "w");
        assertThat(apply("LABEL v=$V w=${W}").text()).isEqualTo("LABEL v=arg w=w");
        apply("ENV V=env");
        assertThat(apply("LABEL v=$V").text()).isEqualTo("LABEL v=env");
        assertThat(st.config.labels()).isEqualTo(Map.of("v", "env", "w", "w"));
    }

    @Test
    void cmdAndEntrypoint() {
        st.config = new ContainerConfig(null, null, null, null, List.of("base-cmd"), null, null, null, null, null);
        apply("ENTRYPOINT [\"/app\"]");
        assertThat(st.config.cmd()).as("an ENTRYPOINT clears the base image's CMD").isEmpty();
        apply("CMD run --help");
        assertThat(st.config.cmd()).containsExactly("/bin/sh", "-c", "run --help");
        apply("SHELL [\"/bin/bash\", \"-ec\"]");
        apply("CMD echo $HOME");
        assertThat(st.config.cmd()).containsExactly("/bin/bash", "-ec", "echo $HOME");
        apply("ENTRYPOINT [\"/app2\"]");
        assertThat(st.config.cmd()).as("a CMD of this file stays").containsExactly("/bin/bash", "-ec", "echo $HOME");
    }

    @Test
    void workdirUserExposeVolumeStopsignal() {
        assertThat(apply("WORKDIR /work").text()).isEqualTo("WORKDIR /work");
        assertThat(apply("WORKDIR sub/../app/").text()).isEqualTo("WORKDIR /work/app");
        assertThat(apply("USER 1000:1000").config().user()).isEqualTo("1000:1000");
        assertThat(apply("EXPOSE 80 53/UDP 8000-8001").config().exposedPorts().keySet())
                .containsExactly("80/tcp", "53/udp", "8000/tcp", "8001/tcp");
        assertThat(apply("VOLUME /data /cache").config().volumes().keySet()).containsExactly("/data", "/cache");
        assertThat(apply("VOLUME [\"/v\"]").text()).isEqualTo("VOLUME [\"/v\"]");
        assertThat(apply("STOPSIGNAL SIGQUIT").config().stopSignal()).isEqualTo("SIGQUIT");
        assertThatThrownBy(() -> apply("EXPOSE http")).hasMessageContaining("expected PORT");
        assertThatThrownBy(() -> apply("EXPOSE 70000")).hasMessageContaining("1 to 65535");
        assertThatThrownBy(() -> apply("STOPSIGNAL kill me")).hasMessageContaining("expected a signal");
    }

    @Test
    void runCommandForms() {
        Instruction shell = Containerfile.parse("FROM x\nRUN echo $A > /f\n", "C").instructions().get(1);
        Instruction exec = Containerfile.parse("FROM x\nRUN [\"echo\", \"$A\"]\n", "C").instructions().get(1);
        assertThat(ConfigSteps.command(shell, ContainerConfig.empty())).containsExactly("/bin/sh", "-c", "echo $A > /f");
        assertThat(ConfigSteps.command(exec, ContainerConfig.empty())).containsExactly("echo", "$A");
    }

    @Test
    void buildArgumentsForRun() {
        BuildState s = new BuildState(Map.of("http_proxy", "http://p:3128", "UNUSED", "x"));
        s.args.put("A", "1");
        s.args.put("NOVALUE", null);
        s.used.add("A");
        assertThat(s.runArgs()).isEqualTo(Map.of("A", "1", "http_proxy", "http://p:3128"));
        assertThat(s.argsKey()).isEqualTo("A=1\n");
        assertThat(s.unused()).containsExactly("UNUSED");
        assertThat(RunSpec.env(List.of("A=img"), s.runArgs())).containsExactly(
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=img", "http_proxy=http://p:3128");
    }
}
