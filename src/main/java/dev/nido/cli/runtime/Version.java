package dev.nido.cli.runtime;

import picocli.CommandLine;

/** runc prints its version, commit and spec version; so do we. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"nido-runtime version " + (v == null ? "0.1.0-dev" : v), "spec: 1.2.0"};
    }
}
