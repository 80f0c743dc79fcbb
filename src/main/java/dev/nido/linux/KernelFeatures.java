package dev.nido.linux;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this kernel offers, probed once from {@code /proc} with plain file reads. Each probe keeps
 * the reason it failed (Netty's {@code unavailabilityCause}), so {@code features},
 * {@code system check} and test skips can all say why.
 */
public final class KernelFeatures {
    /** Namespace types as named under /proc/self/ns (namespaces(7)). */
    public static final List<String> NAMESPACE_TYPES =
            List.of("cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts");

    /** One probed feature; {@code unavailabilityCause} is empty when it is available. */
    public record Feature(String name, Optional<String> unavailabilityCause) {
        public boolean available() {
            return unavailabilityCause.isEmpty();
        }

        static Feature present(String name) {
            return new Feature(name, Optional.empty());
        }

        static Feature absent(String name, String cause) {
            return new Feature(name, Optional.of(cause));
        }
    }

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    private final Path proc;
    private final String kernelRelease;
    private final int capLastCap;
    private final String capLastCapCause;

    private KernelFeatures(Path proc) {
        this.proc = proc;
        this.kernelRelease = readTrimmed(proc.resolve("sys/kernel/osrelease")).orElse("");
        Optional<String> cap = readTrimmed(proc.resolve("sys/kernel/cap_last_cap"));
        int value = -1;
        String cause = null;
        if (cap.isEmpty()) {
            cause = proc.resolve("sys/kernel/cap_last_cap") + ": cannot be read";
        } else {
            try {
                value = Integer.parseInt(cap.get());
            } catch (NumberFormatException e) {
                cause = proc.resolve("sys/kernel/cap_last_cap") + ": not a number: " + cap.get();
            }
        }
        this.capLastCap = value;
        this.capLastCapCause = cause;
    }

    /** Probes the running kernel. */
    public static KernelFeatures probe() {
        return probe(Path.of("/proc"));
    }

    /** Probes a tree laid out like {@code /proc} (tests use a fake one). */
    public static KernelFeatures probe(Path procRoot) {
        return new KernelFeatures(procRoot);
    }

    /** The running kernel's release, e.g. {@code 6.1.0-18-amd64}; empty if unreadable. */
    public String kernelRelease() {
        return kernelRelease;
    }

    /** Whether this kernel has namespaces of {@code type} (one of {@link #NAMESPACE_TYPES}). */
    public Feature namespace(String type) {
        if (!NAMESPACE_TYPES.contains(type)) {
            throw new IllegalArgumentException("namespace type \"" + type + "\": unknown (expected one of "
                    + String.join(", ", NAMESPACE_TYPES) + ")");
        }
        Path link = proc.resolve("self/ns").resolve(type);
        String name = type + " namespace";
        return Files.exists(link, LinkOption.NOFOLLOW_LINKS)
                ? Feature.present(name)
                : Feature.absent(name, link + " does not exist (kernel built without it, or too old)");
    }

    /** Every namespace type, in {@link #NAMESPACE_TYPES} order. */
    public List<Feature> namespaces() {
        return NAMESPACE_TYPES.stream().map(this::namespace).toList();
    }

    /** The highest capability number the kernel knows, -1 when unknown (see {@link #capLastCapFeature()}). */
    public int capLastCap() {
        return capLastCap;
    }

    public Feature capLastCapFeature() {
        return capLastCapCause == null ? Feature.present("cap_last_cap")
                : Feature.absent("cap_last_cap", capLastCapCause);
    }

    /** openat2(2), added in Linux 5.6 (needed for RESOLVE_IN_ROOT). */
    public Feature openat2() {
        return sinceVersion("openat2", 5, 6);
    }

    /** close_range(2), added in Linux 5.9. */
    public Feature closeRange() {
        return sinceVersion("close_range", 5, 9);
    }

    /** All probes, for {@code features} and {@code system check}. */
    public List<Feature> all() {
        List<Feature> all = new ArrayList<>(namespaces());
        all.add(capLastCapFeature());
        all.add(openat2());
        all.add(closeRange());
        return List.copyOf(all);
    }

    private Feature sinceVersion(String name, int major, int minor) {
        Matcher m = VERSION.matcher(kernelRelease);
        if (!m.find()) {
            return Feature.absent(name, "kernel release unknown (" + proc.resolve("sys/kernel/osrelease")
                    + " reads \"" + kernelRelease + "\")");
        }
        int haveMajor = Integer.parseInt(m.group(1));
        int haveMinor = Integer.parseInt(m.group(2));
        boolean ok = haveMajor > major || (haveMajor == major && haveMinor >= minor);
        return ok ? Feature.present(name)
                : Feature.absent(name, "kernel " + kernelRelease + " is older than " + major + "." + minor);
    }

    /** Reads a /proc file from offset 0 (see {@link ProcFiles}). */
    private static Optional<String> readTrimmed(Path file) {
        try {
            return Optional.of(ProcFiles.read(file).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
