package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.interp.Semantics;
import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.runtime.CompiledUnitExits;
import dev.pvm.engine.cpu.runtime.HelperEffect;
import dev.pvm.engine.cpu.runtime.NearestFloatOps;
import dev.pvm.engine.cpu.runtime.TranslatedOps;
import dev.pvm.engine.cpu.runtime.UnitMemory;
import dev.pvm.engine.cpu.runtime.VectorOps;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The bytecode of one unit's {@code run(CpuState, long)}, over ASM: where each guest register lives (JVM
 * locals inside the unit), the unit's control flow (labels for basic blocks, shared exit stubs), instruction
 * counting, and the precise-state bookkeeping for faults.
 *
 * <p>Guest registers: the GPRs the unit's inline instructions name, CR, LR and CTR are loaded into locals on
 * entry and stored back at every exit, before every interpreter fallback (and reloaded after it), and in the
 * fault handler. XER's bits stay in {@code CpuState}: only compares and record forms read SO. Only the
 * registers the unit's inline code writes (a {@link RegisterWriteFlow}, recorded by emitting the unit once into
 * nothing) are stored back: any other register's local always equals its {@code CpuState} copy, since it is loaded on entry
 * and reloaded after whatever may change the copy (fallbacks, helpers).
 *
 * <p>Counting: {@code count} grows by a basic block's length when control leaves the block. Before each
 * instruction that can fault, {@code pos} holds its index (high 16 bits) and the number of instructions of its
 * block already completed (low 16 bits); the fault handler turns that into CIA and the retired count, so a fault
 * leaves the state exactly as the interpreter would.
 */
public final class BytecodeEmitter implements Opcodes {

    static final String CPU = "dev/pvm/engine/cpu/CpuState";
    static final String CPU_DESC = "L" + CPU + ";";
    static final String UNIT_MEMORY = Type.getInternalName(UnitMemory.class);
    /** The unit class's static final field holding its runtime ({@link BlockTranslator} declares it). */
    static final String RUNTIME_FIELD = "RUNTIME";
    static final String OPS = Type.getInternalName(TranslatedOps.class);
    static final String BASE = Type.getInternalName(CompiledUnit.class);
    static final String SEMANTICS = Type.getInternalName(Semantics.class);

    // Local variable slots of run(CpuState cpu, long remaining).
    private static final int THIS = 0;
    private static final int CPU_SLOT = 1;
    private static final int REMAINING = 2;
    // Slot 4 is free (the runtime is a constant, not a local).
    private static final int COUNT = 5;
    private static final int POS = 7;
    private static final int CR = 8;
    private static final int LR = 9;
    private static final int CTR = 11;
    static final int TEMP_A = 13;
    static final int TEMP_B = 15;
    private static final int GPR_BASE = 17;
    private static final int GPR_ARRAY = GPR_BASE + 64;
    private static final int EXCEPTION = GPR_ARRAY + 1;
    /** The exit code a stub hands to the shared leaving sequence. */
    private static final int EXIT_CODE = EXCEPTION + 1;

    private final MethodVisitor mv;
    /** The unit memory's final class: calls name it so HotSpot binds them statically and inlines them. */
    private final String rt;
    /** The internal name of the unit's class, which holds the runtime in {@link #RUNTIME_FIELD}. */
    private final String unitClass;
    private final TranslationUnit unit;
    private final boolean[] gprInLocal;
    /**
     * What goes back to {@code CpuState} when registers are spilled: what the inline code may write anywhere, as a
     * {@link RegisterWriteFlow} mask.
     */
    private final long spilled;
    /** Where this emission's inline code writes, and its control flow (read after a recording pass). */
    private final RegisterWriteFlow flow;
    /** What each exit writes back: a recording pass's solved {@link #flow}, or null for all of {@link #spilled}. */
    private final RegisterWriteFlow exitWrites;
    private final Label[] blockLabels;
    private final Map<Long, Label> exitStubs = new LinkedHashMap<>();
    private final Label indirectStub = new Label();
    private final List<Semantics> fallbacks = new ArrayList<>();
    private int index;
    private int blockStart;
    private boolean flowEnded;
    /** Where the current instruction's inline fast path hands over to its fallback, if it has one. */
    private Label slowPath;
    /** Bytecode HotSpot will inline into the unit: an estimate, see {@link #inlinedBytes}. */
    private int inlinedBytes;

    /**
     * What one guest access inlines: the {@link UnitMemory} entry point, its range check and the raw host access
     * (measured with -XX:+PrintInlining: 159 bytes for a load, 169 for a store).
     */
    static final int MEMORY_ACCESS_INLINE_BYTES = 170;
    /** What one call to a scalar helper inlines, at most (rotates and compares 20-30, carries up to 60). */
    static final int HELPER_INLINE_BYTES = 60;
    /**
     * What one call to a {@link VectorOps} helper inlines with its lane loops (merge 360, permute 310, shifts
     * 800). {@link NearestFloatOps}'s entry points count nothing: C2 leaves them calls (their compiled code is
     * already larger than InlineSmallCode).
     */
    static final int VECTOR_HELPER_INLINE_BYTES = 400;
    private static final String VECTOR_OPS = Type.getInternalName(VectorOps.class);
    private static final String FLOAT_OPS = Type.getInternalName(NearestFloatOps.class);

    /**
     * @param recorded  what a recording pass over the same unit found ({@link #flow()}, solved): which registers
     *                  the inline code writes, and which each exit must write back; null for the recording pass
     *                  itself, which writes back every register
     * @param unitClass the internal name of the class the method goes into
     */
    BytecodeEmitter(MethodVisitor mv, TranslationUnit unit, boolean[] gprInLocal,
            Class<? extends UnitMemory> unitMemory, RegisterWriteFlow recorded, String unitClass) {
        this.mv = mv;
        this.spilled = recorded == null ? ALL_REGISTERS : recorded.writtenAnywhere();
        this.exitWrites = recorded;
        this.flow = new RegisterWriteFlow(unit.length());
        this.rt = Type.getInternalName(unitMemory);
        this.unitClass = unitClass;
        this.unit = unit;
        this.gprInLocal = gprInLocal.clone();
        this.blockLabels = new Label[unit.length()];
        for (int i = 0; i < blockLabels.length; i++) {
            blockLabels[i] = new Label();
        }
    }

    /** The raw visitor, for emitters' arithmetic. */
    public MethodVisitor mv() {
        return mv;
    }

    /** Address of the instruction being emitted. */
    public long pc() {
        return unit.pc(index);
    }

    public boolean littleEndian() {
        return unit.littleEndian();
    }

    // ------------------------------------------------------------------------------------------ registers

    private int gprSlot(int r) {
        if (!gprInLocal[r]) {
            throw new IllegalStateException("r" + r + " is not kept in a local in unit at 0x"
                    + Long.toHexString(unit.startPc()));
        }
        return GPR_BASE + 2 * r;
    }

    /** Pushes GPR {@code r} (long). */
    public void loadGpr(int r) {
        mv.visitVarInsn(LLOAD, gprSlot(r));
    }

    /** Pushes (RA|0): the value 0 for register 0. */
    public void loadGprOrZero(int r) {
        if (r == 0) {
            mv.visitInsn(LCONST_0);
        } else {
            loadGpr(r);
        }
    }

    /** Pops a long into GPR {@code r}. */
    public void storeGpr(int r) {
        flow.write(index, r);
        mv.visitVarInsn(LSTORE, gprSlot(r));
    }

    /** Pushes the CpuState, for emitters that write the XER bits kept there (CA, CA32). */
    public void loadCpu() {
        mv.visitVarInsn(ALOAD, CPU_SLOT);
    }

    public void loadCr() {
        mv.visitVarInsn(ILOAD, CR);
    }

    public void storeCr() {
        flow.write(index, RegisterWriteFlow.CR);
        mv.visitVarInsn(ISTORE, CR);
    }

    public void loadLr() {
        mv.visitVarInsn(LLOAD, LR);
    }

    public void storeLr() {
        flow.write(index, RegisterWriteFlow.LR);
        mv.visitVarInsn(LSTORE, LR);
    }

    public void loadCtr() {
        mv.visitVarInsn(LLOAD, CTR);
    }

    public void storeCtr() {
        flow.write(index, RegisterWriteFlow.CTR);
        mv.visitVarInsn(LSTORE, CTR);
    }

    public void pushLong(long v) {
        if (v == 0) {
            mv.visitInsn(LCONST_0);
        } else if (v == 1) {
            mv.visitInsn(LCONST_1);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    public void pushInt(int v) {
        if (v >= -1 && v <= 5) {
            mv.visitInsn(ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            mv.visitIntInsn(BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            mv.visitIntInsn(SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    /**
     * Pops a 4-bit LT/GT/EQ value (SO clear), ORs in XER[SO] and writes CR field {@code field} (Book I 3.3.10).
     */
    public void setCrFieldWithSo(int field) {
        int shift = 28 - 4 * field;
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        mv.visitFieldInsn(GETFIELD, CPU, "so", "I");
        mv.visitInsn(IOR);
        pushInt(shift);
        mv.visitInsn(ISHL);
        loadCr();
        pushInt(~(0xf << shift));
        mv.visitInsn(IAND);
        mv.visitInsn(IOR);
        storeCr();
    }

    /** The record form's CR0 update from GPR {@code r} (64-bit mode: the unit requires MSR[SF]=1). */
    public void recordCr0(int r) {
        loadGpr(r);
        mv.visitInsn(LCONST_0);
        callStatic(OPS, "compareSigned", "(JJ)I");
        setCrFieldWithSo(0);
    }

    // ------------------------------------------------------------------------------------------ helpers

    /**
     * Calls a static helper of {@code owner}, spilling and reloading guest registers as its declared
     * {@link HelperEffect} requires.
     */
    public void callStatic(String owner, String name, String desc) {
        HelperEffect.Effect effect = effectOf(owner, name, desc);
        if (effect.spillsBefore()) {
            spillAll();
        }
        inlinedBytes += owner.equals(VECTOR_OPS) ? VECTOR_HELPER_INLINE_BYTES
                : owner.equals(FLOAT_OPS) ? 0 : HELPER_INLINE_BYTES;
        mv.visitMethodInsn(INVOKESTATIC, owner, name, desc, false);
        if (effect.reloadsAfter()) {
            reloadAll();
        }
    }

    /** Pushes the runtime and the CPU: the first arguments of a {@link UnitMemory} entry point. */
    public void beginMemoryAccess() {
        markFaultPoint();
        // The runtime is read from the unit class's static final field at every access (not kept in a local,
        // which an on-stack-replacement compile would see as an unknown value): HotSpot folds it, and the final
        // fields of a record runtime (the fast path's host addresses and masks) become immediates instead of
        // values that hold registers across the unit.
        mv.visitFieldInsn(GETSTATIC, unitClass, RUNTIME_FIELD, "L" + rt + ";");
        mv.visitVarInsn(ALOAD, CPU_SLOT);
    }

    /** Calls memory entry point {@code name} of {@link UnitMemory} (arguments pushed). */
    public void endMemoryAccess(String name, String desc) {
        HelperEffect.Effect effect = effectOf(rt, name, desc);
        if (effect != HelperEffect.Effect.MEMORY) {
            throw new IllegalStateException(name + " is not a memory helper");
        }
        inlinedBytes += MEMORY_ACCESS_INLINE_BYTES;
        mv.visitMethodInsn(INVOKEVIRTUAL, rt, name, desc, false);
    }

    private static final Map<String, HelperEffect.Effect> EFFECTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The declared effect of a helper, found once by reflection; undeclared helpers are refused. */
    private static HelperEffect.Effect effectOf(String owner, String name, String desc) {
        return EFFECTS.computeIfAbsent(owner + "." + name + desc, key -> {
            try {
                Class<?> c = Class.forName(owner.replace('/', '.'));
                for (Method m : c.getMethods()) {
                    if (m.getName().equals(name) && Type.getMethodDescriptor(m).equals(desc)) {
                        HelperEffect e = m.getAnnotation(HelperEffect.class);
                        if (e == null) {
                            throw new IllegalStateException(key + " has no @HelperEffect");
                        }
                        return e.value();
                    }
                }
            } catch (ClassNotFoundException ex) {
                throw new IllegalStateException(ex);
            }
            throw new IllegalStateException("no helper " + key);
        });
    }

    private void markFaultPoint() {
        // Within BlockScanner.WINDOW / 4 words of the entry either way: a signed 16-bit count.
        int offset = (int) ((pc() - unit.startPc()) >> 2);
        pushInt((offset << 16) | (index - blockStart));
        mv.visitVarInsn(ISTORE, POS);
    }

    // ------------------------------------------------------------------------------------------ state

    private void spillAll() {
        spillGprs(gprInLocal);
        spillSpecials();
    }

    private void reloadAll() {
        reloadGprs(gprInLocal);
        reloadSpecials();
    }

    /** Writes the GPR locals marked in {@code which} (and written by the unit) back to {@code cpu.gpr}. */
    private void spillGprs(boolean[] which) {
        for (int r = 0; r < 32; r++) {
            if (gprInLocal[r] && which[r] && (spilled & (1L << r)) != 0) {
                mv.visitVarInsn(ALOAD, GPR_ARRAY);
                pushInt(r);
                mv.visitVarInsn(LLOAD, GPR_BASE + 2 * r);
                mv.visitInsn(LASTORE);
            }
        }
    }

    private void reloadGprs(boolean[] which) {
        for (int r = 0; r < 32; r++) {
            if (gprInLocal[r] && which[r]) {
                mv.visitVarInsn(ALOAD, GPR_ARRAY);
                pushInt(r);
                mv.visitInsn(LALOAD);
                mv.visitVarInsn(LSTORE, GPR_BASE + 2 * r);
            }
        }
    }

    private void spillSpecials() {
        spillSpecials(ALL_REGISTERS);
    }

    /** Writes back CR, LR and CTR where the unit writes them and mask {@code written} has them. */
    private void spillSpecials(long written) {
        long m = spilled & written;
        if ((m & (1L << RegisterWriteFlow.CR)) != 0) {
            mv.visitVarInsn(ALOAD, CPU_SLOT);
            mv.visitVarInsn(ILOAD, CR);
            mv.visitFieldInsn(PUTFIELD, CPU, "cr", "I");
        }
        if ((m & (1L << RegisterWriteFlow.LR)) != 0) {
            mv.visitVarInsn(ALOAD, CPU_SLOT);
            mv.visitVarInsn(LLOAD, LR);
            mv.visitFieldInsn(PUTFIELD, CPU, "lr", "J");
        }
        if ((m & (1L << RegisterWriteFlow.CTR)) != 0) {
            mv.visitVarInsn(ALOAD, CPU_SLOT);
            mv.visitVarInsn(LLOAD, CTR);
            mv.visitFieldInsn(PUTFIELD, CPU, "ctr", "J");
        }
    }

    private void reloadSpecials() {
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        mv.visitFieldInsn(GETFIELD, CPU, "cr", "I");
        mv.visitVarInsn(ISTORE, CR);
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        mv.visitFieldInsn(GETFIELD, CPU, "lr", "J");
        mv.visitVarInsn(LSTORE, LR);
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        mv.visitFieldInsn(GETFIELD, CPU, "ctr", "J");
        mv.visitVarInsn(LSTORE, CTR);
    }

    private void addCount(int n) {
        if (n == 0) {
            return;
        }
        mv.visitVarInsn(LLOAD, COUNT);
        pushLong(n);
        mv.visitInsn(LADD);
        mv.visitVarInsn(LSTORE, COUNT);
    }

    // ------------------------------------------------------------------------------------------ structure

    private final Label bodyStart = new Label();
    private final Label bodyEnd = new Label();
    private final Label codeEnd = new Label();

    /** Entry: registers into locals, counters to zero. */
    void prologue() {
        mv.visitCode();
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, COUNT);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, POS);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, TEMP_A);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, TEMP_B);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, EXIT_CODE);
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        mv.visitFieldInsn(GETFIELD, CPU, "gpr", "[J");
        mv.visitVarInsn(ASTORE, GPR_ARRAY);
        reloadAll();
        mv.visitLabel(bodyStart);
    }

    /** Called by the translator before each instruction. */
    void beginInsn(int i) {
        index = i;
        if (unit.leaders()[i]) {
            if (i > 0 && !flowEnded) {
                addCount(i - blockStart);
            }
            mv.visitLabel(blockLabels[i]);
            blockStart = i;
            flowEnded = false;
        }
    }

    /**
     * Transfers control to {@code target} when this branch is taken: counts the block, then jumps inside the
     * unit (checking the budget on a backward jump, so a guest loop cannot run past it) or to the exit for it.
     *
     * @param unconditional whether nothing after this point of the instruction runs
     */
    public void takeBranch(long target, boolean unconditional) {
        addCount(index + 1 - blockStart);
        int t = unit.internal()[index];
        jump(target, t >= 0 && unit.pc(t) == target ? t : -1);
        flowEnded |= unconditional;
    }

    /**
     * Goes to {@code target}: to instruction {@code t} inside the unit (checking the budget when that is not
     * forward in layout order, so a guest loop cannot run past it), or with {@code t} -1 to the exit for it.
     */
    private void jump(long target, int t) {
        if (t > index) {
            flow.edge(index, t);
            mv.visitJumpInsn(GOTO, blockLabels[t]);
            return;
        }
        flow.exit(index, target);
        if (t >= 0) {
            flow.edge(index, t);
            mv.visitVarInsn(LLOAD, COUNT);
            mv.visitVarInsn(LLOAD, REMAINING);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFLT, blockLabels[t]);
        }
        setCia(pc());
        mv.visitJumpInsn(GOTO, exitStub(target));
    }

    /**
     * Called by the translator after each instruction: where control falling through it does not reach the next
     * instruction in layout order (the end of a run, the unit's last instruction), jumps to the next address.
     */
    void endInsn() {
        if (flowEnded) {
            return;
        }
        if (unit.fallsIntoNext(index)) {
            flow.edge(index, index + 1);
            return;
        }
        long next = pc() + 4;
        addCount(index + 1 - blockStart);
        jump(next, unit.indexOf(next));
        flowEnded = true;
    }

    /** Leaves through a register branch; the target is in {@link #TEMP_B}. */
    public void takeIndirect(boolean unconditional) {
        flow.indirectExit(index);
        addCount(index + 1 - blockStart);
        setCia(pc());
        mv.visitJumpInsn(GOTO, indirectStub);
        flowEnded |= unconditional;
    }

    /**
     * CIA as the interpreter leaves it: the last instruction executed. Written only when leaving the unit, never
     * per instruction.
     */
    private void setCia(long address) {
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        pushLong(address);
        mv.visitFieldInsn(PUTFIELD, CPU, "cia", "J");
    }

    private Label exitStub(long target) {
        return exitStubs.computeIfAbsent(target, t -> new Label());
    }

    /**
     * Runs the interpreter's semantics for the current instruction (rows without an inline emitter). Only the
     * GPRs the instruction names ({@code touched}; all of them when null) go through {@code cpu.gpr} around
     * the call, with CR, LR and CTR; the other GPR locals are written back only if the unit leaves here.
     */
    void fallback(Semantics semantics, int insn, boolean[] touched) {
        boolean[] named = touched == null ? gprInLocal : touched;
        int k = fallbacks.size();
        fallbacks.add(semantics);
        long next = pc() + 4;
        markFaultPoint();
        spillGprs(named);
        spillSpecials();
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        pushLong(pc());
        mv.visitFieldInsn(PUTFIELD, CPU, "cia", "J");
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        pushLong(next);
        mv.visitFieldInsn(PUTFIELD, CPU, "nia", "J");
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitFieldInsn(GETFIELD, BASE, "fallbacks", "[L" + SEMANTICS + ";");
        pushInt(k);
        mv.visitInsn(AALOAD);
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        pushInt(insn);
        mv.visitMethodInsn(INVOKEINTERFACE, SEMANTICS, "execute", "(" + CPU_DESC + "I)V", true);
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        pushLong(next);
        pushLong(unit.mode());
        pushLong(TranslationUnit.MODE_MASK);
        mv.visitMethodInsn(INVOKESTATIC, OPS, "mustLeave", "(" + CPU_DESC + "JJJ)Z", false);
        Label stay = new Label();
        mv.visitJumpInsn(IFEQ, stay);
        // Leaving: the registers the instruction could not have touched still live only in locals.
        boolean[] untouched = new boolean[32];
        for (int r = 0; r < 32; r++) {
            untouched[r] = !named[r];
        }
        spillGprs(untouched);
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        mv.visitVarInsn(LLOAD, COUNT);
        pushLong(index - blockStart);
        mv.visitInsn(LADD);
        mv.visitMethodInsn(INVOKESTATIC, OPS, "leaveAfterFallback", "(" + CPU_DESC + "J)I", false);
        mv.visitInsn(IRETURN);
        mv.visitLabel(stay);
        reloadGprs(named);
        reloadSpecials();
    }

    /**
     * For an emitter whose inline code is a fast path that may decline: consumes the int on the stack and, when it
     * is 0, runs the instruction's interpreter fallback instead (emitted by the translator after the inline code,
     * see {@link #fallbackOrSlowPath}).
     */
    public void fallbackIfZero() {
        if (slowPath != null) {
            throw new IllegalStateException("one slow path per instruction");
        }
        slowPath = new Label();
        mv.visitJumpInsn(IFEQ, slowPath);
    }

    /**
     * After an instruction: its fallback when it had no inline code ({@code inline} false), or the fallback
     * behind its fast path's {@link #fallbackIfZero} when it has one; nothing else.
     */
    void fallbackOrSlowPath(boolean inline, InsnPattern row, int insn, Supplier<Semantics> semantics) {
        Label slow = slowPath;
        slowPath = null;
        if (!inline) {
            fallback(semantics.get(), insn, BlockTranslator.gprsTouchedByFallback(row, insn));
        } else if (slow != null) {
            Label done = new Label();
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(slow);
            fallback(semantics.get(), insn, BlockTranslator.gprsTouchedByFallback(row, insn));
            mv.visitLabel(done);
        }
    }

    /** After the last instruction ({@link #endInsn} has left the body): the exit stubs and fault handlers. */
    long[] epilogue(String faultType, String memoryFaultType, String codeModifiedType) {
        mv.visitLabel(bodyEnd);
        // Exits that write back the same registers share one leaving sequence, each stub only naming its target
        // and exit code: a unit with many exits stays small enough for HotSpot to compile (see codeLength).
        Map<Long, Label> sequences = new LinkedHashMap<>();
        long[] exitPcs = new long[exitStubs.size()];
        int k = 0;
        for (Map.Entry<Long, Label> stub : exitStubs.entrySet()) {
            exitPcs[k] = stub.getKey();
            mv.visitLabel(stub.getValue());
            pushLong(stub.getKey());
            mv.visitVarInsn(LSTORE, TEMP_B);
            pushInt(k);
            mv.visitVarInsn(ISTORE, EXIT_CODE);
            long written = exitWrites == null ? ALL_REGISTERS : exitWrites.exitWrites(stub.getKey());
            mv.visitJumpInsn(GOTO, sequences.computeIfAbsent(written, w -> new Label()));
            k++;
        }
        if (exitWrites == null || exitWrites.hasIndirectExit()) {
            mv.visitLabel(indirectStub);
            pushInt(CompiledUnitExits.INDIRECT);
            mv.visitVarInsn(ISTORE, EXIT_CODE);
            long written = exitWrites == null ? ALL_REGISTERS : exitWrites.indirectExitWrites();
            mv.visitJumpInsn(GOTO, sequences.computeIfAbsent(written, w -> new Label()));
        }
        for (Map.Entry<Long, Label> sequence : sequences.entrySet()) {
            mv.visitLabel(sequence.getValue());
            leave(sequence.getKey());
        }

        Label fault = new Label();
        Label memoryFault = new Label();
        Label modified = new Label();
        mv.visitTryCatchBlock(bodyStart, bodyEnd, modified, codeModifiedType);
        mv.visitTryCatchBlock(bodyStart, bodyEnd, fault, faultType);
        mv.visitTryCatchBlock(bodyStart, bodyEnd, memoryFault, memoryFaultType);
        for (Label handler : new Label[] {fault, memoryFault}) {
            mv.visitLabel(handler);
            mv.visitVarInsn(ASTORE, EXCEPTION);
            preciseState(4);
            mv.visitVarInsn(ALOAD, CPU_SLOT);
            mv.visitVarInsn(ALOAD, EXCEPTION);
            mv.visitMethodInsn(INVOKESTATIC, OPS, "fault", "(" + CPU_DESC + "Ljava/lang/RuntimeException;)I", false);
            mv.visitInsn(IRETURN);
        }
        mv.visitLabel(modified);
        mv.visitVarInsn(ASTORE, EXCEPTION);
        preciseState(0);
        pushInt(CompiledUnitExits.CODE_MODIFIED);
        mv.visitInsn(IRETURN);
        mv.visitLabel(codeEnd);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        return exitPcs;
    }

    /** Registers back, CIA = the instruction at {@code pos}, NIA = CIA + {@code niaOffset}, count retired. */
    private void preciseState(int niaOffset) {
        spillAll();
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        pushLong(unit.startPc());
        mv.visitVarInsn(ILOAD, POS);
        pushInt(16);
        mv.visitInsn(ISHR); // the signed offset: code may lie below the entry
        mv.visitInsn(I2L);
        pushInt(2);
        mv.visitInsn(LSHL);
        mv.visitInsn(LADD);
        mv.visitFieldInsn(PUTFIELD, CPU, "cia", "J");
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        mv.visitFieldInsn(GETFIELD, CPU, "cia", "J");
        pushLong(niaOffset);
        mv.visitInsn(LADD);
        mv.visitFieldInsn(PUTFIELD, CPU, "nia", "J");
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, CPU, "instructions", "J");
        mv.visitVarInsn(LLOAD, COUNT);
        mv.visitInsn(LADD);
        mv.visitVarInsn(ILOAD, POS);
        pushInt(0xffff);
        mv.visitInsn(IAND);
        mv.visitInsn(I2L);
        mv.visitInsn(LADD);
        mv.visitFieldInsn(PUTFIELD, CPU, "instructions", "J");
    }

    /** Every register's bit in a {@link RegisterWriteFlow} mask. */
    private static final long ALL_REGISTERS = -1L;

    /**
     * The registers in mask {@code written} (of those the unit writes at all) back, NIA = {@link #TEMP_B}, count
     * retired, return {@link #EXIT_CODE}.
     */
    private void leave(long written) {
        boolean[] gprs = new boolean[32];
        for (int r = 0; r < 32; r++) {
            gprs[r] = (written & (1L << r)) != 0;
        }
        spillGprs(gprs);
        spillSpecials(written);
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        mv.visitVarInsn(LLOAD, TEMP_B);
        mv.visitFieldInsn(PUTFIELD, CPU, "nia", "J");
        mv.visitVarInsn(ALOAD, CPU_SLOT);
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, CPU, "instructions", "J");
        mv.visitVarInsn(LLOAD, COUNT);
        mv.visitInsn(LADD);
        mv.visitFieldInsn(PUTFIELD, CPU, "instructions", "J");
        mv.visitVarInsn(ILOAD, EXIT_CODE);
        mv.visitInsn(IRETURN);
    }

    /**
     * Bytes of bytecode in the finished method. HotSpot compiles no method over 8000 bytes
     * ({@code -XX:+DontCompileHugeMethods}, the default): such a unit would run in the JVM's bytecode interpreter.
     */
    int codeLength() {
        return codeEnd.getOffset();
    }

    /**
     * The bytecode HotSpot's C2 and C1 will inline into this method if they inline every memory access and
     * helper call, estimated per call. They stop inlining once the method's own bytecode plus what they
     * inlined passes DesiredMethodLimit (8000 bytes), and every call left then spills the unit's registers.
     */
    int inlinedBytes() {
        return inlinedBytes;
    }

    /** Where this emission's inline code wrote, and its control flow (complete once it is emitted). */
    RegisterWriteFlow flow() {
        return flow;
    }

    Semantics[] fallbacks() {
        return fallbacks.toArray(Semantics[]::new);
    }

    @Override
    public String toString() {
        return "BytecodeEmitter[unit 0x" + Long.toHexString(unit.startPc()) + ", gprs " + Arrays.toString(gprInLocal)
                + "]";
    }
}
