package dev.nido.runtime;

import java.util.Locale;

/** Container status as the runtime-spec names it. */
public enum Status {
    CREATING, CREATED, RUNNING, PAUSED, STOPPED;

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
