package dev.nido.cli.runtime;

import dev.nido.oci.Json;
import dev.nido.runtime.Inspect;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "list", aliases = "ls", description = {"List containers.", "", "Example:", "  nido-runtime list --format json"})
final class ListCommand implements Callable<Integer> {
    @ParentCommand RuntimeCli top;

    @Option(names = {"--format", "-f"}, defaultValue = "table", description = "table or json")
    String format;

    @Option(names = {"--quiet", "-q"}, description = "print only the ids")
    boolean quiet;

    @Override
    public Integer call() {
        List<Map<String, Object>> states = new Inspect(top.context()).list();
        if (quiet) {
            states.forEach(s -> System.out.println(s.get("id")));
        } else if (format.equals("json")) {
            System.out.println(new String(Json.writeCompact(states), StandardCharsets.UTF_8));
        } else if (format.equals("table")) {
            table(states);
        } else {
            throw new IllegalArgumentException("--format \"" + format + "\": expected table or json");
        }
        return 0;
    }

    private static void table(List<Map<String, Object>> states) {
        String fmt = "%-12s %-8s %-10s %-40s %-31s %s%n";
        System.out.printf(fmt, "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
        for (Map<String, Object> s : states) {
            System.out.printf(fmt, s.get("id"), s.get("pid"), s.get("status"), s.get("bundle"), s.get("created"),
                    s.get("owner"));
        }
    }
}
