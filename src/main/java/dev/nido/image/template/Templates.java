package dev.nido.image.template;

import dev.nido.image.ImageException;

import java.util.List;

/** The templates nido has. */
public final class Templates {
    private static final List<Template> ALL = List.of(new BusyboxTemplate(), new DebianTemplate(),
            new HostBinaryTemplate());

    private Templates() {
    }

    public static List<Template> all() {
        return ALL;
    }

    public static Template byName(String name) {
        for (Template t : ALL) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new ImageException("template \"" + name + "\" does not exist (nido template ls lists them: "
                + String.join(", ", ALL.stream().map(Template::name).toList()) + ")");
    }
}
