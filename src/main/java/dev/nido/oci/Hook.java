package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** One hook: an absolute path, its argv (including argv[0]), env and a timeout in seconds. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"path", "args", "env", "timeout"})
public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
    public Hook {
        args = Copies.list(args);
        env = Copies.list(env);
    }
}
