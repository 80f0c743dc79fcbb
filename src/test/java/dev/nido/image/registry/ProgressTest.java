package dev.nido.image.registry;

import dev.nido.image.store.Digest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {
    private static final Digest D = Digest.of("layer".getBytes());
    private static final String SHORT = "sha256:" + D.hex().substring(0, 12);

    @Test
    void sizesAreDecimalWithOneDigit() {
        assertThat(Progress.size(512)).isEqualTo("512 B");
        assertThat(Progress.size(3_400)).isEqualTo("3.4 kB");
        assertThat(Progress.size(40_100_000)).isEqualTo("40.1 MB");
        assertThat(Progress.size(1_234_000_000L)).isEqualTo("1.2 GB");
        assertThat(Progress.size(-1)).isEqualTo("?");
    }

    @Test
    void plainProgressIsALinePerBlobEvent() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Progress p = Progress.plain(new PrintStream(out, true, StandardCharsets.UTF_8));
        p.start(Progress.Kind.PULL, D, 40_100_000, 0);
        p.advance(D, 1000);
        p.done(D);
        p.start(Progress.Kind.PULL, D, 40_100_000, 12_300_000);
        p.start(Progress.Kind.PUSH, D, 1500, 0);
        p.skipped(Progress.Kind.PUSH, D, 1500);
        p.message("hello");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(String.join("\n",
                "pulling " + SHORT + " (40.1 MB)",
                "done " + SHORT,
                "resuming " + SHORT + " at 12.3 MB of 40.1 MB",
                "pushing " + SHORT + " (1.5 kB)",
                "exists " + SHORT + " (1.5 kB)",
                "hello", ""));
    }

    @Test
    void terminalLinesHaveABarAndAreRedrawnInPlace() {
        assertThat(TerminalProgress.render(D, 12_300_000, 40_100_000))
                .isEqualTo(SHORT + "  [=========>                    ]  12.3/40.1 MB");
        assertThat(TerminalProgress.render(D, 40_100_000, 40_100_000))
                .isEqualTo(SHORT + "  [==============================]  40.1/40.1 MB");
        assertThat(TerminalProgress.render(D, 2_000, -1)).isEqualTo(SHORT + "  [>                             ]  2.0 kB");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Progress p = Progress.terminal(new PrintStream(out, true, StandardCharsets.UTF_8));
        Digest other = Digest.of("other".getBytes());
        p.start(Progress.Kind.PULL, D, 1000, 0);
        p.start(Progress.Kind.PULL, other, 1000, 0);
        p.done(D);
        String text = out.toString(StandardCharsets.UTF_8);
        // the first blob's line is two lines up from the cursor: up 2, rewrite, clear the rest, down 2
        assertThat(text).endsWith("\033[2A\r" + SHORT + "  done  1.0 kB\033[K\033[2B\r");
    }
}
