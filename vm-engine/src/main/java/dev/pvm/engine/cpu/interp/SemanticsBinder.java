package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.Hypervisor;
import dev.pvm.engine.cpu.TimeBase;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.isa.IsaTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Binds the instruction table's rows to their semantics by mnemonic, and produces the interpreter's dispatch
 * array (indexed by row id). Each semantics factory receives its row, so it takes its fields from the table
 * ({@code row.field("rt")}) instead of hard-coding bit positions.
 *
 * <p>Rows marked {@code @priv} get the privileged-instruction check around their semantics (Book III 4.3.1), and
 * rows that need a facility ({@code @fp}, {@code @vec}, {@code @vsx}, ...) the MSR availability check that raises
 * the facility's unavailable interrupt (Book III 7.5.10, 7.5.16, 7.5.17). The translator runs these rows through
 * the same semantics, so both engines agree.
 */
public final class SemanticsBinder {

    private final IsaTable table;
    private final Semantics[] handlers;
    private final StorageAccess storage;
    private final Hypervisor hypervisor;
    private final TimeBase timeBase;
    private final CpuModel model;

    SemanticsBinder(IsaTable table, StorageAccess storage, Hypervisor hypervisor, TimeBase timeBase, CpuModel model) {
        this.table = table;
        this.handlers = new Semantics[table.size()];
        this.storage = storage;
        this.hypervisor = hypervisor;
        this.timeBase = timeBase;
        this.model = model;
    }

    /** Every row's semantics, from each ISA chapter's class. */
    static Semantics[] bindAll(IsaTable table, StorageAccess storage, Hypervisor hypervisor, TimeBase timeBase,
            CpuModel model) {
        SemanticsBinder b = new SemanticsBinder(table, storage, hypervisor, timeBase, model);
        BranchOps.bind(b);
        LoadStoreOps.bind(b);
        FixedPointArithmeticOps.bind(b);
        FixedPointCompareOps.bind(b);
        FixedPointLogicalOps.bind(b);
        RotateShiftOps.bind(b);
        SpecialRegisterOps.bind(b);
        StorageControlOps.bind(b);
        ProcessorControlOps.bind(b);
        MmuOps.bind(b);
        ReservationOps.bind(b);
        LoadStoreMultipleOps.bind(b);
        RandomNumberOps.bind(b);
        TransactionalMemoryOps.bind(b);
        FloatLoadStoreOps.bind(b);
        FloatMoveOps.bind(b);
        FloatArithmeticOps.bind(b);
        FloatConversionOps.bind(b);
        FloatCompareOps.bind(b);
        FpscrOps.bind(b);
        VectorLoadStoreOps.bind(b);
        VectorPermuteOps.bind(b);
        VectorIntegerOps.bind(b);
        VsxFloatOps.bind(b);
        VsxVectorFloatOps.bind(b);
        VectorFloatOps.bind(b);
        VectorCryptoOps.bind(b);
        VsxQuadOps.bind(b);
        VsxExponentOps.bind(b);
        return b.finish();
    }

    /**
     * Binds the semantics of one row.
     *
     * @throws IllegalStateException when the table has no such row or it is bound twice
     */
    public void bind(String mnemonic, Function<InsnPattern, Semantics> factory) {
        InsnPattern row = table.findPattern(mnemonic);
        if (row == null) {
            throw new IllegalStateException("semantics for " + mnemonic + ", which " + table.source() + " lacks");
        }
        if (handlers[row.id()] != null) {
            throw new IllegalStateException("semantics for " + mnemonic + " bound twice");
        }
        handlers[row.id()] = factory.apply(row);
    }

    public StorageAccess storage() {
        return storage;
    }

    public Hypervisor hypervisor() {
        return hypervisor;
    }

    public TimeBase timeBase() {
        return timeBase;
    }

    public CpuModel model() {
        return model;
    }

    private Semantics[] finish() {
        List<String> missing = new ArrayList<>();
        for (InsnPattern row : table.patterns()) {
            Semantics s = handlers[row.id()];
            if (s == null) {
                missing.add(row.mnemonic());
            } else {
                Semantics checked = FacilityCheck.wrap(row, s);
                handlers[row.id()] = row.privileged() ? privileged(checked) : checked;
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("rows of " + table.source() + " without semantics: " + missing);
        }
        return handlers.clone();
    }

    private static Semantics privileged(Semantics inner) {
        GuestInterrupt denied = new GuestInterrupt.Program(GuestInterrupt.ProgramReason.PRIVILEGED_INSTRUCTION, "");
        return (s, insn) -> {
            if (s.problemState()) {
                s.raise(denied);
            } else {
                inner.execute(s, insn);
            }
        };
    }
}
