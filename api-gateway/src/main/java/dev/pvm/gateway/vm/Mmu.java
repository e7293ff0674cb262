package dev.pvm.gateway.vm;

import com.fasterxml.jackson.annotation.JsonProperty;

/** MMU mode offered to the guest. */
public enum Mmu {
    @JsonProperty("radix")
    RADIX,
    @JsonProperty("hash")
    HASH
}
