package dev.pvm.engine.hcall;

import dev.pvm.engine.cpu.CpuState;

/** A guest's `sc 1` as PAPR lays it out: the number in r3, arguments from r4 on, the return code back in r3. */
final class GuestHypercall {

    private GuestHypercall() {
    }

    static long call(HcallTable table, CpuState cpu, long number, long... args) {
        cpu.gpr[3] = number;
        for (int i = 0; i < args.length; i++) {
            cpu.gpr[4 + i] = args[i];
        }
        table.hypercall(cpu);
        return cpu.gpr[3];
    }
}
