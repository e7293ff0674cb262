package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.isa.IsaTable;

/**
 * The translator's dispatch: table row id to its inline emitter, or none (the interpreter's semantics run
 * instead). Each ISA chapter's emitter class binds its rows by mnemonic.
 */
public final class EmitterTable {

    private final IsaTable table;
    private final InsnEmitter[] emitters;

    private EmitterTable(IsaTable table) {
        this.table = table;
        this.emitters = new InsnEmitter[table.size()];
    }

    /** Every chapter's inline emitters. */
    public static EmitterTable standard(IsaTable table) {
        EmitterTable t = new EmitterTable(table);
        FixedPointEmitters.bind(t);
        RotateShiftEmitters.bind(t);
        LoadStoreEmitters.bind(t);
        BranchEmitters.bind(t);
        SpecialRegisterEmitters.bind(t);
        ConditionRegisterEmitters.bind(t);
        VectorEmitters.bind(t);
        VectorOpsEmitters.bind(t);
        VectorLoadStoreEmitters.bind(t);
        FloatEmitters.bind(t);
        // Barriers and cache hints are no-ops in the interpreter (StorageControlOps: one thread per vCPU, every
        // access sequentially consistent), and so inline.
        for (String hint : new String[] {"SYNC", "ISYNC", "MBAR", "DCBT", "DCBTST", "DCBST", "DCBF", "DSS",
            "DSSALL", "DST", "DSTT", "DSTST", "DSTSTT"}) {
            t.bind(hint, (e, row, i) -> true);
        }
        return t;
    }

    /** Binds {@code emitter} to row {@code mnemonic}; rows the table lacks are skipped (their semantics run). */
    void bind(String mnemonic, InsnEmitter emitter) {
        InsnPattern row = table.findPattern(mnemonic);
        if (row != null) {
            emitters[row.id()] = emitter;
        }
    }

    /**
     * A copy with {@code mnemonic}'s emitter replaced: the test hook that breaks an emitter on purpose, to
     * show that lockstep mode catches it.
     */
    public EmitterTable withOverride(String mnemonic, InsnEmitter emitter) {
        EmitterTable copy = new EmitterTable(table);
        System.arraycopy(emitters, 0, copy.emitters, 0, emitters.length);
        copy.emitters[table.pattern(mnemonic).id()] = emitter;
        return copy;
    }

    /** The emitter for row {@code id}, or null. */
    InsnEmitter emitter(int id) {
        return emitters[id];
    }

    public IsaTable table() {
        return table;
    }
}
