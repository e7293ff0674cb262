package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Hypervisor;
import dev.pvm.engine.cpu.TimeBase;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.isa.IsaTable;
import java.util.ArrayList;
import java.util.Collections;
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
 *
 * <p>A row's factory runs when the row first executes ({@link #resolved}), not at start-up: each factory's
 * semantics is a lambda whose class the JVM spins the first time its expression is evaluated, and binding all
 * 800-odd rows eagerly spun hundreds of classes at every start for the few rows a short run executes. What
 * {@link #bind} checks (a row the table lacks, a row bound twice, a row without semantics) is still checked
 * when the binder finishes.
 */
public final class SemanticsBinder {

    private final IsaTable table;
    private final Semantics[] handlers;
    private final List<Function<InsnPattern, Semantics>> factories;
    private final StorageAccess storage;
    private final Hypervisor hypervisor;
    private final TimeBase timeBase;
    private final CpuModel model;

    SemanticsBinder(IsaTable table, StorageAccess storage, Hypervisor hypervisor, TimeBase timeBase, CpuModel model) {
        this.table = table;
        this.handlers = new Semantics[table.size()];
        this.factories = new ArrayList<>(Collections.nCopies(table.size(), null));
        this.storage = storage;
        this.hypervisor = hypervisor;
        this.timeBase = timeBase;
        this.model = model;
    }

    /** Every row's semantics, from each ISA chapter's class. */
    static Semantics[] bindAll(IsaTable table, StorageAccess storage, Hypervisor hypervisor, TimeBase timeBase,
            CpuModel model) {
        return bindAll(table, storage, hypervisor, timeBase, model, false);
    }

    /**
     * Every row's semantics; {@code eager} makes each row's now (tests: lazy and eager binding agree), else on
     * the row's first execution.
     */
    static Semantics[] bindAll(IsaTable table, StorageAccess storage, Hypervisor hypervisor, TimeBase timeBase,
            CpuModel model, boolean eager) {
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
        return b.finish(eager);
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
        if (factories.get(row.id()) != null) {
            throw new IllegalStateException("semantics for " + mnemonic + " bound twice");
        }
        factories.set(row.id(), factory);
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

    private Semantics[] finish(boolean eager) {
        List<String> missing = new ArrayList<>();
        for (InsnPattern row : table.patterns()) {
            Function<InsnPattern, Semantics> factory = factories.get(row.id());
            if (factory == null) {
                missing.add(row.mnemonic());
            } else {
                BoundOnFirstUse lazy = new BoundOnFirstUse(handlers, row, factory);
                handlers[row.id()] = eager ? lazy.resolve() : lazy;
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("rows of " + table.source() + " without semantics: " + missing);
        }
        return handlers;
    }

    /**
     * {@code semantics} itself, or, where it is a row not yet executed, that row's semantics made now: what a
     * translated unit or a decoded unit keeps calls the row's code straight.
     */
    static Semantics resolved(Semantics semantics) {
        return semantics instanceof BoundOnFirstUse lazy ? lazy.resolve() : semantics;
    }

    /**
     * A row's place in the dispatch array until it first executes; then it makes the row's semantics (with the
     * privilege and facility checks) and puts them in its place. Two threads resolving one row at once make
     * equal semantics (the factories only read the row and the binder's collaborators).
     */
    private static final class BoundOnFirstUse implements Semantics {
        private final Semantics[] dispatch;
        private final InsnPattern row;
        private final Function<InsnPattern, Semantics> factory;
        private Semantics made;

        BoundOnFirstUse(Semantics[] dispatch, InsnPattern row, Function<InsnPattern, Semantics> factory) {
            this.dispatch = dispatch;
            this.row = row;
            this.factory = factory;
        }

        Semantics resolve() {
            Semantics s = made;
            if (s == null) {
                Semantics checked = FacilityCheck.wrap(row, factory.apply(row));
                s = row.privileged() ? privileged(checked) : checked;
                made = s;
                dispatch[row.id()] = s;
            }
            return s;
        }

        @Override
        public void execute(CpuState cpu, int insn) {
            resolve().execute(cpu, insn);
        }
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
