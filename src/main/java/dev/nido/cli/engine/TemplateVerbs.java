package dev.nido.cli.engine;

import dev.nido.cli.args.CommandSpec;
import dev.nido.cli.args.Opt;
import dev.nido.cli.args.Parsed;
import dev.nido.image.store.Image;
import dev.nido.image.template.Template;
import dev.nido.image.template.TemplateRunner;
import dev.nido.image.template.Templates;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** template ls, image create --template. */
final class TemplateVerbs {
    static final EngineVerb LS = new EngineVerb(new CommandSpec("template-ls", List.of(
            "List the templates 'nido image create --template' can use.", "", "Example:", "  nido template ls"),
            List.of(), List.of(), List.of(), null), TemplateVerbs::ls);

    static final EngineVerb CREATE = new EngineVerb(new CommandSpec("image-create", List.of(
            "Make an image from a template, as lxc-create -t does.", "", "Examples:",
            "  nido image create --template busybox                  (offline; names it busybox:latest)",
            "  nido image create --template debian -o suite=bookworm debian:12",
            "  nido image create --template host-binary -o binary=/usr/bin/ls ls-only"),
            List.of(Opt.value("NAME", "template (nido template ls)", "--template", "-t"),
                    Opt.repeated("KEY=VALUE", "template option", "--option", "-o")),
            List.of(), List.of("IMAGE"), null), TemplateVerbs::create);

    private TemplateVerbs() {
    }

    private static int ls(Parsed a, EngineCli top) {
        Table t = new Table("TEMPLATE", "DESCRIPTION", "OPTIONS");
        for (Template tp : Templates.all()) {
            t.row(tp.name(), tp.summary(), String.join("; ", tp.options().stream()
                    .map(o -> o.split("\\s+")[0]).toList()));
        }
        t.print(System.out);
        return 0;
    }

    private static int create(Parsed a, EngineCli top) {
        String name = a.value("--template");
        if (name == null) {
            throw new IllegalArgumentException("--template NAME is required (nido template ls lists them)");
        }
        Template t = Templates.byName(name);
        Map<String, String> options = new LinkedHashMap<>();
        for (String kv : a.all("--option")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--option " + kv + ": expected KEY=VALUE");
            }
            options.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Image img = TemplateRunner.create(top.context().images(), t, options, a.positional(0),
                TemplateRunner.defaultCache(dev.nido.runtime.Identity.uid(), System.getenv(),
                        System.getProperty("user.home")), System.err::println);
        System.out.println(img.id());
        return 0;
    }
}
