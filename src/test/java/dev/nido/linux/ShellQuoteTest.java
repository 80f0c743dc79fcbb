package dev.nido.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellQuoteTest {
    @Test
    void safeWordsStayBare() {
        assertThat(ShellQuote.quote("/sys/fs/cgroup/pids/a-b_c/cgroup.procs")).isEqualTo("/sys/fs/cgroup/pids/a-b_c/cgroup.procs");
        assertThat(ShellQuote.quote("PATH=/bin:/usr/bin")).isEqualTo("PATH=/bin:/usr/bin");
        assertThat(ShellQuote.quote("100%,+@")).isEqualTo("100%,+@");
    }

    @Test
    void everythingElseIsSingleQuoted() {
        assertThat(ShellQuote.quote("")).isEqualTo("''");
        assertThat(ShellQuote.quote("a b")).isEqualTo("'a b'");
        assertThat(ShellQuote.quote("$HOME")).isEqualTo("'$HOME'");
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuote.quote("0 0 1\n")).isEqualTo("'0 0 1\n'");
        assertThat(ShellQuote.quote("*")).isEqualTo("'*'");
        assertThat(ShellQuote.quote("héllo")).isEqualTo("'héllo'");
    }

    @Test
    void joinQuotesEachWord() {
        assertThat(ShellQuote.join(List.of("sh", "-c", "echo hi; exit 3"))).isEqualTo("sh -c 'echo hi; exit 3'");
        assertThat(ShellQuote.join("a", "")).isEqualTo("a ''");
    }
}
