package dev.nido.cli.args;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgParserTest {
    static final CommandSpec CREATE = new CommandSpec("create", List.of("Create."),
            List.of(Opt.value("DIR", "bundle", "--bundle", "-b").withDefault("."), Opt.flag("no pivot", "--no-pivot"),
                    Opt.repeated("KEY=VALUE", "env", "--env", "-e")),
            List.of("ID"), List.of("SIGNAL"), null);
    static final CommandSpec EXEC = new CommandSpec("exec", List.of("Exec."),
            List.of(Opt.flag("tty", "--tty", "-t")), List.of("ID"), List.of(), "COMMAND");

    @Test
    void longShortAndInlineValues() {
        Parsed p = ArgParser.parse(CREATE, List.of("--bundle=/b", "-e", "A=1", "--env", "B=2", "--no-pivot", "box"));
        assertThat(p.value("--bundle")).isEqualTo("/b");
        assertThat(p.all("--env")).containsExactly("A=1", "B=2");
        assertThat(p.flag("--no-pivot")).isTrue();
        assertThat(p.positional(0)).isEqualTo("box");
        assertThat(p.positional(1)).isNull();
    }

    @Test
    void defaultsAndOptionsAfterPositionals() {
        Parsed p = ArgParser.parse(CREATE, List.of("box", "-b", "/x", "KILL"));
        assertThat(p.value("--bundle")).isEqualTo("/x");
        assertThat(p.positional(1)).isEqualTo("KILL");
        assertThat(ArgParser.parse(CREATE, List.of("box")).value("--bundle")).isEqualTo(".");
    }

    @Test
    void restStopsOptionParsingAtTheCommand() {
        Parsed p = ArgParser.parse(EXEC, List.of("-t", "box", "ls", "-l", "--tty"));
        assertThat(p.flag("--tty")).isTrue();
        assertThat(p.restFrom(1)).containsExactly("ls", "-l", "--tty");
    }

    @Test
    void doubleDashEndsOptions() {
        assertThat(ArgParser.parse(EXEC, List.of("box", "--", "-x")).restFrom(1)).containsExactly("-x");
    }

    @Test
    void errorsNameTheArgument() {
        assertThatThrownBy(() -> ArgParser.parse(CREATE, List.of("--bogus", "box")))
                .isInstanceOf(UsageException.class).hasMessage("unknown option --bogus for 'create' (see --help)");
        assertThatThrownBy(() -> ArgParser.parse(CREATE, List.of("box", "--bundle")))
                .hasMessage("option --bundle needs a value: --bundle DIR");
        assertThatThrownBy(() -> ArgParser.parse(CREATE, List.of()))
                .hasMessage("'create' needs ID (missing ID)");
        assertThatThrownBy(() -> ArgParser.parse(CREATE, List.of("a", "b", "c")))
                .hasMessage("'create': unexpected argument \"c\"");
    }

    @Test
    void usageListsOptionsWithDefaults() {
        assertThat(CREATE.usage("nido-runtime")).contains("Usage: nido-runtime create [OPTIONS] ID [SIGNAL]",
                "--bundle, -b DIR", "(default: .)", "--help, -h");
    }
}
