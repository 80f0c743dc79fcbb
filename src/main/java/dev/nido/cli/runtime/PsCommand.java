package dev.nido.cli.runtime;

import dev.nido.oci.Json;
import dev.nido.runtime.ContainerException;
import dev.nido.runtime.Inspect;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "ps", description = {"Show the processes running in a container (ps options after the id).", "",
        "Examples:", "  nido-runtime ps box", "  nido-runtime ps --format json box", "  nido-runtime ps box -- -o pid,comm"})
final class PsCommand implements Callable<Integer> {
    @ParentCommand RuntimeCli top;

    @Option(names = {"--format", "-f"}, defaultValue = "table", description = "table or json")
    String format;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1..*", paramLabel = "PS_OPTION", description = "options for ps(1) (default -ef)")
    List<String> psOptions = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<Integer> pids = new Inspect(top.context()).pids(id);
        if (format.equals("json")) {
            System.out.println(new String(Json.writeCompact(pids), StandardCharsets.UTF_8));
            return 0;
        }
        if (!format.equals("table")) {
            throw new IllegalArgumentException("--format \"" + format + "\": expected table or json");
        }
        List<String> cmd = new ArrayList<>(List.of("ps"));
        cmd.addAll(psOptions.isEmpty() ? List.of("-ef") : psOptions);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (p.waitFor() != 0 || lines.isEmpty()) {
            throw new ContainerException("ps " + String.join(" ", cmd.subList(1, cmd.size())) + " failed: "
                    + String.join(" ", lines));
        }
        int col = List.of(lines.getFirst().trim().split("\\s+")).indexOf("PID");
        if (col < 0) {
            throw new ContainerException("ps output has no PID column (add -o pid,... to the ps options)");
        }
        Set<String> wanted = new HashSet<>(pids.stream().map(String::valueOf).toList());
        System.out.println(lines.getFirst());
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.trim().split("\\s+");
            if (f.length > col && wanted.contains(f[col])) {
                System.out.println(l);
            }
        }
        return 0;
    }
}
