package dev.pvm.engine.rtas;

import dev.pvm.engine.cpu.asm.InsnAssembler;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The code placed at {@code linux,rtas-entry}: RTAS is a hypercall in disguise. The guest enters it in 32-bit
 * big-endian real mode with r3 = the argument buffer; the stub moves the buffer to r4, makes H_RTAS and
 * returns (the same five instructions as QEMU's spapr-rtas.bin and kvmtool's stub).
 */
public final class RtasFirmware {

    /** The stub, as assembler text for our own assembler. */
    static final List<String> SOURCE = List.of(
            "or r4,r3,r3",          // mr r4,r3: the argument buffer
            "addis r3,0,0",         // lis r3,0
            "ori r3,r3,0xf000",     // r3 = H_RTAS
            "sc 1",
            "bclr 20,0,0");         // blr

    private RtasFirmware() {
    }

    /** The stub's bytes, big-endian (RTAS runs big-endian whatever the OS's byte order). */
    public static byte[] image(InsnAssembler assembler) {
        ByteBuffer b = ByteBuffer.allocate(4 * SOURCE.size());
        for (String line : SOURCE) {
            b.putInt(assembler.assemble(line));
        }
        return b.array();
    }
}
