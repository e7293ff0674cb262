package dev.pvm.engine.cpu.translate;

import java.util.List;

/**
 * The first point where translated code and the interpreter disagreed.
 *
 * @param address     effective address of the instruction (or of the unit, when no single instruction showed it)
 * @param insn        its word
 * @param disassembly its text
 * @param registers   registers that differ, "name: expected (interpreter) X, actual (translator) Y"
 * @param memory      bytes that differ, same form
 */
public record LockstepDivergence(long address, int insn, String disassembly, List<String> registers,
        List<String> memory) {

    public String describe() {
        StringBuilder b = new StringBuilder(String.format("lockstep divergence at 0x%x: %08x  %s", address, insn,
                disassembly));
        registers.forEach(r -> b.append(System.lineSeparator()).append("  ").append(r));
        memory.forEach(m -> b.append(System.lineSeparator()).append("  mem ").append(m));
        return b.toString();
    }
}
