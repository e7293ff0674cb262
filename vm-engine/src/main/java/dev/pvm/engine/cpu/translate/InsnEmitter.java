package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.isa.InsnPattern;

/**
 * Emits the bytecode of one instruction row, inline. Bound to rows by mnemonic in {@link EmitterTable}, so the
 * translator dispatches by table row, as the interpreter does.
 */
@FunctionalInterface
public interface InsnEmitter {

    /**
     * Emits {@code insn} (of {@code row}) at the emitter's current position.
     *
     * @return false when this particular word is not handled inline (an OE form, an unusual SPR), in which case
     *         nothing may have been emitted and the translator falls back to the interpreter's semantics
     */
    boolean emit(BytecodeEmitter e, InsnPattern row, int insn);
}
