package dev.nido.engine;

import dev.nido.oci.Cpu;
import dev.nido.oci.Memory;
import dev.nido.oci.Pids;
import dev.nido.oci.Resources;
import dev.nido.oci.RuntimeSpec;
import dev.nido.oci.SpecReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nido update}: new limits applied live to a running container (through the runtime's
 * update, all or nothing) and kept in its config.json for its next starts; a new restart policy.
 */
public final class UpdateCommand {
    private final Containers cs;

    public UpdateCommand(Containers cs) {
        this.cs = cs;
    }

    /** What to change; null: unchanged. */
    public record Limits(Long memory, Long memorySwap, Double cpus, Long cpuShares, String cpusetCpus, Long pidsLimit,
                         RestartPolicy restart) {
        boolean empty() {
            return memory == null && memorySwap == null && cpus == null && cpuShares == null && cpusetCpus == null
                    && pidsLimit == null && restart == null;
        }
    }

    public void update(String ref, Limits l) {
        if (l.empty()) {
            throw new EngineException("update: give a limit to change (--memory, --cpus, --pids-limit, ...)");
        }
        ContainerInfo c = cs.find(ref);
        try (ContainerLock lock = ContainerLock.acquire(cs.dir(c.id()), c.name())) {
            c = cs.find(c.id());
            if (l.restart() != null) {
                HostConfig h = c.host();
                if (h.autoRemove() && !l.restart().name().equals("no")) {
                    throw new EngineException("--restart " + l.restart() + ": container " + c.name()
                            + " is removed when it exits (--rm)");
                }
                cs.save(new ContainerInfo(c.id(), c.name(), c.image(), c.imageId(), c.command(), c.created(),
                        c.status(), c.exitCode(), c.finished(), new HostConfig(h.autoRemove(), l.restart(),
                        h.stopSignal(), h.stopTimeout(), h.tty(), h.interactive(), h.system(), h.logMaxSize(),
                        h.logMaxFiles()), c.started(), c.restartCount(), c.stoppedByUser()));
            }
            Path config = cs.dir(c.id()).resolve("bundle/config.json");
            RuntimeSpec spec = SpecReader.parse(Files.readAllBytes(config), config.toString());
            Resources merged = merge(spec.linux().resources(), l);
            if (LiveState.of(cs, c).isUp() && limitsGiven(l)) {
                new Runtime(cs.runtimeRoot(), false).must(runtimeArgs(c.id(), l).toArray(String[]::new));
            }
            Files.write(config, SpecReader.write(spec.withLinux(spec.linux().withResources(merged))));
        } catch (IOException e) {
            throw new EngineException("update " + c.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The memory, CPU and pids limits of {@code r} applied to a running container now (through the
     * runtime's {@code update -r}, all or nothing); device rules are left as they are.
     */
    public void applyLive(ContainerInfo c, Resources r) {
        if (r == null) {
            return;
        }
        Path f = cs.dir(c.id()).resolve("update.json");
        try {
            Files.write(f, dev.nido.oci.Json.writePretty(new Resources(null, r.memory(), r.cpu(), r.pids(), null, null,
                    null, null, null)));
            new Runtime(cs.runtimeRoot(), false).must("update", "-r", f.toString(), c.id());
        } catch (IOException e) {
            throw new EngineException("update " + c.name() + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // a leftover is harmless
            }
        }
    }

    private static boolean limitsGiven(Limits l) {
        return l.memory() != null || l.memorySwap() != null || l.cpus() != null || l.cpuShares() != null
                || l.cpusetCpus() != null || l.pidsLimit() != null;
    }

    static List<String> runtimeArgs(String id, Limits l) {
        List<String> a = new ArrayList<>(List.of("update"));
        if (l.memory() != null) {
            a.addAll(List.of("--memory", Long.toString(l.memory())));
        }
        if (l.memorySwap() != null) {
            a.addAll(List.of("--memory-swap", Long.toString(l.memorySwap())));
        }
        if (l.cpus() != null) {
            a.addAll(List.of("--cpu-period", "100000", "--cpu-quota", Long.toString(Math.round(l.cpus() * 100_000))));
        }
        if (l.cpuShares() != null) {
            a.addAll(List.of("--cpu-shares", Long.toString(l.cpuShares())));
        }
        if (l.cpusetCpus() != null) {
            a.addAll(List.of("--cpuset-cpus", l.cpusetCpus()));
        }
        if (l.pidsLimit() != null) {
            a.addAll(List.of("--pids-limit", Long.toString(l.pidsLimit())));
        }
        a.add(id);
        return a;
    }

    static Resources merge(Resources r, Limits l) {
        Memory m = r == null ? null : r.memory();
        if (l.memory() != null || l.memorySwap() != null) {
            Long limit = l.memory() != null ? l.memory() : m == null ? null : m.limit();
            Long swap = l.memorySwap() != null ? l.memorySwap() : m == null ? null : m.swap();
            m = new Memory(limit, m == null ? null : m.reservation(), swap, null, null, null, null, null, null);
        }
        Cpu c = r == null ? null : r.cpu();
        if (l.cpus() != null || l.cpuShares() != null || l.cpusetCpus() != null) {
            Long quota = l.cpus() != null ? Long.valueOf(Math.round(l.cpus() * 100_000)) : c == null ? null : c.quota();
            Long period = l.cpus() != null ? Long.valueOf(100_000) : c == null ? null : c.period();
            c = new Cpu(l.cpuShares() != null ? l.cpuShares() : c == null ? null : c.shares(), quota, null, period, null,
                    null, l.cpusetCpus() != null ? l.cpusetCpus() : c == null ? null : c.cpus(), null, null);
        }
        Pids p = l.pidsLimit() != null ? new Pids(l.pidsLimit()) : r == null ? null : r.pids();
        return r == null ? new Resources(null, m, c, p, null, null, null, null, null)
                : new Resources(r.devices(), m, c, p, r.blockIO(), r.hugepageLimits(), r.network(), r.rdma(), r.unified());
    }
}
