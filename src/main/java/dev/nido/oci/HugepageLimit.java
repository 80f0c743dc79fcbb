package dev.nido.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A hugetlb limit in bytes (uint64) for one page size such as {@code 2MB}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"pageSize", "limit"})
public record HugepageLimit(String pageSize, @Unsigned64 Long limit) {
}
