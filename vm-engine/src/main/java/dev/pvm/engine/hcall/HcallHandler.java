package dev.pvm.engine.hcall;

import dev.pvm.engine.cpu.CpuState;

/**
 * One hypercall's implementation. Arguments are in r4..r12 of {@code cpu}; the handler writes its outputs to
 * r4 onwards and returns the status, which the table puts in r3.
 */
@FunctionalInterface
public interface HcallHandler {

    HcallStatus handle(CpuState cpu);
}
