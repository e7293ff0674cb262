package dev.pvm.engine.linuxuser;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.disasm.Disassembler;
import java.io.PrintStream;
import java.nio.ByteOrder;

/**
 * {@code --trace}: one line per executed instruction with its address, word, disassembly and the registers it
 * changed, e.g. {@code 0x10000a4c 38600001 li r3,1 | r3=0x1}.
 */
final class Tracer {

    private final PrintStream out;
    private final Disassembler disassembler;
    private final UserAddressSpace memory;
    private final long[] gpr = new long[32];
    private long pc;
    private int cr;
    private long lr;
    private long ctr;
    private long xer;

    Tracer(PrintStream out, Disassembler disassembler, UserAddressSpace memory) {
        this.out = out;
        this.disassembler = disassembler;
        this.memory = memory;
    }

    void before(CpuState cpu) {
        System.arraycopy(cpu.gpr, 0, gpr, 0, 32);
        pc = cpu.nia;
        cr = cpu.cr;
        lr = cpu.lr;
        ctr = cpu.ctr;
        xer = cpu.xer();
    }

    void after(CpuState cpu, dev.pvm.engine.cpu.interrupt.GuestInterrupt interrupt) {
        int word;
        try {
            word = memory.load32(pc, cpu.littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        } catch (RuntimeException e) {
            out.printf("0x%x (fetch fault)%n", pc);
            return;
        }
        StringBuilder b = new StringBuilder(String.format("0x%x %08x %-28s", pc, word,
                disassembler.disassemble(word, pc)));
        boolean first = true;
        for (int i = 0; i < 32; i++) {
            if (cpu.gpr[i] != gpr[i]) {
                b.append(first ? " | " : " ").append('r').append(i).append("=0x").append(Long.toHexString(cpu.gpr[i]));
                first = false;
            }
        }
        first = appendIfChanged(b, first, "cr", cr, cpu.cr & 0xFFFF_FFFFL, cr != cpu.cr);
        first = appendIfChanged(b, first, "lr", lr, cpu.lr, lr != cpu.lr);
        first = appendIfChanged(b, first, "ctr", ctr, cpu.ctr, ctr != cpu.ctr);
        appendIfChanged(b, first, "xer", xer, cpu.xer(), xer != cpu.xer());
        if (interrupt != null) {
            b.append(" | ").append(interrupt.describe());
        }
        out.println(b);
    }

    private static boolean appendIfChanged(StringBuilder b, boolean first, String name, long before, long now,
            boolean changed) {
        if (!changed) {
            return first;
        }
        b.append(first ? " | " : " ").append(name).append("=0x").append(Long.toHexString(now));
        return false;
    }
}
