package dev.nido.oci;

import java.util.List;

/**
 * The one error of the spec layer: a document that cannot be read or is not valid. It carries
 * every violation found, each already prefixed with its source, e.g.
 * {@code config.json: process.args: must not be empty}; the message is the violations, one a line.
 */
public final class SpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> violations;

    /** One violation, already formatted with its source. */
    public SpecException(String violation) {
        this(List.of(violation));
    }

    /** Violations already formatted with their source; at least one. */
    public SpecException(List<String> violations) {
        super(String.join("\n", requireSome(violations)));
        this.violations = List.copyOf(violations);
    }

    /** Prefixes each {@code path: problem} with {@code source: }, as in {@code config.json: ...}. */
    public static SpecException of(String source, List<String> problems) {
        return new SpecException(problems.stream().map(p -> source + ": " + p).toList());
    }

    public List<String> violations() {
        return violations;
    }

    private static List<String> requireSome(List<String> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a SpecException needs at least one violation");
        }
        return violations;
    }
}
