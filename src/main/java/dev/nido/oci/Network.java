package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** {@code linux.resources.network}: net_cls class id and net_prio priorities. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"classID", "priorities"})
public record Network(Long classID, List<InterfacePriority> priorities) {
    public Network {
        priorities = Copies.list(priorities);
    }
}
