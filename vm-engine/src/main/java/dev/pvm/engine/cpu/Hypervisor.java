package dev.pvm.engine.cpu;

/**
 * What handles {@code sc 1} from a guest in supervisor state: the machine's hypercall table. The hypercall
 * number is in r3, arguments in r4..r12; the handler writes the status to r3 and outputs to r4 onwards.
 */
@FunctionalInterface
public interface Hypervisor {

    void hypercall(CpuState cpu);
}
