package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** One seccomp rule: these syscall names, when all {@code args} match, get {@code action}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"names", "action", "errnoRet", "args"})
public record SeccompSyscall(List<String> names, String action, Long errnoRet, List<SeccompArg> args) {
    public SeccompSyscall {
        names = Copies.list(names);
        args = Copies.list(args);
    }
}
