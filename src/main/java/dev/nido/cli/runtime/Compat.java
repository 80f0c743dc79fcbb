package dev.nido.cli.runtime;

import dev.nido.runtime.ContainerException;

/** runc flags nido accepts only in their default form. */
final class Compat {
    private Compat() {
    }

    static void preserveFds(int n) {
        if (n != 0) {
            throw new ContainerException("--preserve-fds " + n + ": passing extra fds is not supported yet (use 0)");
        }
    }
}
