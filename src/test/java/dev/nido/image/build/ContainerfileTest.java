package dev.nido.image.build;

import dev.nido.image.ImageException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContainerfileTest {
    private static List<Instruction> parse(String text) {
        return Containerfile.parse(text, "Containerfile").instructions();
    }

    private static String error(String text) {
        try {
            Containerfile.parse(text, "Containerfile");
        } catch (ImageException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for:\n" + text);
    }

    @Test
    void continuationsJoinLinesAndSkipCommentsAndBlankLinesInside() {
        List<Instruction> ins = parse("""
                # syntax=docker/dockerfile:1
                # check=skip=all
                # a comment
                from busybox

                Run echo a \\
                  # a comment inside
                
                  && echo b \\\t
                  && echo c
                CMD x
                """);
        assertThat(ins).extracting(Instruction::keyword).containsExactly("FROM", "RUN", "CMD");
        assertThat(ins.get(1).args()).isEqualTo("echo a   && echo b   && echo c");
        assertThat(ins.get(1).line()).isEqualTo(6);
        assertThat(ins.get(2).line()).isEqualTo(11);
        assertThat(ins.get(1).where()).isEqualTo("Containerfile:6");
        assertThat(ins.getFirst().source()).isEqualTo("from busybox");
    }

    @Test
    void aBackslashOnTheLastLineEndsTheInstruction() {
        assertThat(parse("FROM a\nRUN echo x \\\n").get(1).args()).isEqualTo("echo x");
    }

    @Test
    void execAndShellForms() {
        List<Instruction> ins = parse("""
                FROM scratch
                RUN ["/bin/echo", "a b"]
                RUN echo "[not json]"
                CMD ["cat","/greeting"]
                ENTRYPOINT /bin/sh
                SHELL ["/bin/bash", "-c"]
                """);
        assertThat(ins.get(1).json()).containsExactly("/bin/echo", "a b");
        assertThat(ins.get(2).isJson()).isFalse();
        assertThat(ins.get(3).json()).containsExactly("cat", "/greeting");
        assertThat(ins.get(4).isJson()).isFalse();
        assertThat(ins.get(5).json()).containsExactly("/bin/bash", "-c");
    }

    @Test
    void flagsAreSeparatedFromArguments() {
        Instruction copy = parse("FROM a\nCOPY --chown=1000:1000 --chmod=644 a b /dst/\n").get(1);
        assertThat(copy.flags()).isEqualTo(Map.of("chown", "1000:1000", "chmod", "644"));
        assertThat(copy.args()).isEqualTo("a b /dst/");
    }

    @Test
    void argMayComeBeforeFrom() {
        assertThat(parse("ARG V=1\nFROM busybox:${V}\n")).extracting(Instruction::keyword).containsExactly("ARG", "FROM");
    }

    @Test
    void anUnknownInstructionNamesFileLineAndTheFix() {
        String e = error("FROM busybox\nRUN true\nCOPPY a /b\n");
        assertThat(e).startsWith("Containerfile:3: unknown instruction \"COPPY\"").contains("expected one of FROM, RUN, COPY");
        assertThat(e.lines()).hasSize(1);
    }

    @Test
    void everyProblemIsReportedOnceWithItsLine() {
        String e = error("FROM busybox\nRUN [\"a\", \n\nENV\nCMD [1, 2]\n");
        assertThat(e.lines()).containsExactly(
                "Containerfile:2: RUN: expected a JSON array of strings such as [\"cat\", \"/greeting\"] (double quotes,"
                        + " commas between items), or the shell form without brackets",
                "Containerfile:4: ENV needs KEY=VALUE (or KEY VALUE)",
                "Containerfile:5: CMD: expected a JSON array of strings such as [\"cat\", \"/greeting\"] (double quotes,"
                        + " commas between items), or the shell form without brackets");
    }

    @Test
    void unsupportedFeaturesAreRefusedClearly() {
        assertThat(error("FROM busybox AS build\n")).startsWith("Containerfile:1: FROM ... AS build: multi-stage builds are not supported");
        assertThat(error("FROM a\nFROM b\n")).startsWith("Containerfile:2: a second FROM: multi-stage builds");
        assertThat(error("FROM a\nCOPY --from=build /x /y\n")).startsWith("Containerfile:2: COPY --from=build: multi-stage");
        assertThat(error("FROM a\nRUN --mount=type=cache,target=/c true\n")).contains("RUN --mount is not supported");
        assertThat(error("FROM a\nONBUILD RUN x\n")).startsWith("Containerfile:2: ONBUILD triggers are not supported");
        assertThat(error("FROM a\nHEALTHCHECK CMD true\n")).startsWith("Containerfile:2: HEALTHCHECK is not supported");
        assertThat(error("FROM a\nRUN cat > /x <<EOF\n")).startsWith("Containerfile:2: RUN: heredocs (<<EOF) are not supported");
        assertThat(error("FROM a\nCOPY <<EOF /x\n")).contains("heredocs");
        assertThat(error("# escape=`\nFROM a\n")).startsWith("Containerfile:1: escape=` is not supported");
        assertThat(error("FROM --platform=linux/arm64 a\n")).contains("--platform is not supported");
        assertThat(error("FROM a\nCOPY --link a /b\n")).contains("unknown option (COPY takes --chown=UID:GID and --chmod=MODE)");
    }

    @Test
    void structuralErrors() {
        assertThat(error("RUN true\n")).isEqualTo("Containerfile:1: RUN before FROM (only ARG may come before FROM)");
        assertThat(error("# nothing\n")).startsWith("Containerfile:1: no FROM instruction");
        assertThat(error("FROM a\nCOPY onlyone\n")).isEqualTo("Containerfile:2: COPY needs a source and a destination: COPY file.txt /dir/");
        assertThat(error("FROM a\nSHELL /bin/bash -c\n")).startsWith("Containerfile:2: SHELL needs a JSON array");
        assertThat(error("FROM a\nENV A\n")).startsWith("Containerfile:2: ENV A: expected KEY=VALUE or KEY VALUE");
        assertThat(error("FROM a\nLABEL a=1 b\n")).startsWith("Containerfile:2: LABEL b: expected KEY=VALUE");
        assertThat(error("FROM a\nENV A=\"unterminated\n")).startsWith("Containerfile:2: ENV: unexpected end of line");
    }

    @Test
    void keywordsAreCaseInsensitive() {
        assertThat(parse("from a\nworkdir /x\nExpose 80\n")).extracting(Instruction::keyword)
                .containsExactly("FROM", "WORKDIR", "EXPOSE");
    }

    @Test
    void errorsDoNotHideAnException() {
        assertThatThrownBy(() -> Containerfile.parse("", "Dockerfile")).isInstanceOf(ImageException.class)
                .hasMessageStartingWith("Dockerfile:1: no FROM");
    }
}
