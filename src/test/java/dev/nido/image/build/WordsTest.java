package dev.nido.image.build;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WordsTest {
    private static final Map<String, String> VARS = Map.of("A", "one", "SP", "x y", "EMPTY", "");
    private static final Function<String, String> V = VARS::get;

    @Test
    void splitsAtWhitespaceAndRemovesQuotes() {
        assertThat(Words.split("a  'b c' \"d e\" f\\ g", V)).containsExactly("a", "b c", "d e", "f g");
        assertThat(Words.split("K=\"v 1\" L='$A'", V)).containsExactly("K=v 1", "L=$A");
        assertThat(Words.split("\"\" x", V)).containsExactly("", "x");
    }

    @Test
    void expandsVariables() {
        assertThat(Words.expand("$A/${A}/\"$A\"/'$A'", V)).isEqualTo("one/one/one/$A");
        assertThat(Words.expand("${MISSING:-def} ${EMPTY:-def} ${EMPTY-def} ${A:-def}", V)).isEqualTo("def def  one");
        assertThat(Words.expand("${A:+alt}|${MISSING:+alt}|${EMPTY+alt}", V)).isEqualTo("alt||alt");
        assertThat(Words.expand("${MISSING:-${A}}", V)).isEqualTo("one");
        assertThat(Words.expand("\\$A $ cost$", V)).isEqualTo("$A $ cost$");
        assertThat(Words.expand("\"a\\\"b\\$A\\n\"", V)).isEqualTo("a\"b$A\\n");
    }

    @Test
    void wordsAreSplitBeforeExpansionSoValuesWithSpacesStayWhole() {
        assertThat(Words.split("$SP \"$SP\" a$SP", V)).containsExactly("x y", "x y", "ax y");
        assertThat(Words.raw("a 'b c' \"d \\\" e\" f\\ g")).containsExactly("a", "'b c'", "\"d \\\" e\"", "f\\ g");
        assertThat(Words.split("$MISSING b", V)).containsExactly("b");
        assertThat(Words.split("A=${MISSING:-two words} B", V)).containsExactly("A=two words", "B");
        assertThat(Words.expand("  keep  inner  ", V)).isEqualTo("keep  inner");
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> Words.expand("${MISSING:?must be set}", V)).hasMessage("MISSING: must be set");
        assertThatThrownBy(() -> Words.expand("'open", V)).hasMessageContaining("closing '");
        assertThatThrownBy(() -> Words.expand("${A", V)).hasMessageContaining("missing }");
        assertThatThrownBy(() -> Words.expand("${A/x/y}", V)).hasMessageContaining("supported forms");
    }
}
