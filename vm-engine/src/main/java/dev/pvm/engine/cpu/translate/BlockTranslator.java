package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.interp.GuestInterruptSignal;
import dev.pvm.engine.cpu.interp.Interpreter;
import dev.pvm.engine.cpu.interp.Semantics;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.isa.Facility;
import dev.pvm.engine.cpu.isa.Field;
import dev.pvm.engine.cpu.isa.FieldKind;
import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.runtime.CodeModifiedSignal;
import dev.pvm.engine.cpu.runtime.UnitMemory;
import dev.pvm.engine.memory.GuestMemoryAccessException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Set;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Turns a {@link TranslationUnit} into a {@link CompiledUnit}: one class whose {@code run} method holds the
 * whole unit, each instruction emitted inline by its row's {@link InsnEmitter} or, for rows without one, as a
 * call to the interpreter's {@link Semantics} for that row.
 *
 * <p>JUSTIFICATION (hidden classes): each unit is defined with {@link MethodHandles.Lookup#defineHiddenClass}
 * without {@code STRONG}, so the class is unloaded as soon as the unit is unreachable (invalidated and dropped
 * from the cache), and no class loader or name registry grows with the guest's code. The lookup is
 * {@link CompiledUnit}'s, so generated classes live in this package and can use its package-private state.
 */
public final class BlockTranslator implements Opcodes {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final String UNIT_NAME = Type.getInternalName(CompiledUnit.class).replace("CompiledUnit", "Unit");
    private static final String INIT_DESC = MethodType.methodType(void.class, Semantics[].class,
            CompiledUnit.UnitInfo.class).toMethodDescriptorString();

    /**
     * HotSpot's HugeMethodLimit: with {@code DontCompileHugeMethods} (on by default) a method with more bytecode
     * than this is never compiled, so a longer unit is translated shorter instead. The same 8000 bytes is its
     * DesiredMethodLimit, the most bytecode a compilation inlines (the method's own included): a unit whose
     * own bytecode plus the helpers it calls ({@link BytecodeEmitter#inlinedBytes}) passes it is translated
     * shorter too, since the calls HotSpot does not inline spill every guest register held in the unit.
     */
    static final int HUGE_METHOD_LIMIT = 8000;

    private final EmitterTable emitters;
    private final Interpreter interpreter;
    private final UnitMemory runtime;
    private final TranslatorStats stats;
    private long translated;

    /**
     * @param emitters    inline emitters by row
     * @param interpreter supplies the fallback semantics (bound to the tracking memory view)
     * @param runtime     the memory entry points the units call
     * @param stats       counts fallbacks when profiling, else null
     */
    public BlockTranslator(EmitterTable emitters, Interpreter interpreter, UnitMemory runtime,
            TranslatorStats stats) {
        this.emitters = emitters;
        this.interpreter = interpreter;
        this.runtime = runtime;
        this.stats = stats;
    }

    /** Units translated so far. */
    public long translated() {
        return translated;
    }

    /**
     * Whether a row may be emitted inline in a unit translated for MSR bits {@code mode}. The interpreter's
     * semantics carry the problem-state and availability checks; units are translated per MSR[PR], [FP], [VEC]
     * and [VSX] ({@link TranslationUnit#MODE_MASK}), so a row whose check passes in the unit's mode needs no
     * check at run time, and one whose check fails runs the fallback, which raises the interrupt.
     */
    static boolean inlinable(InsnPattern row, long mode) {
        if (row.privileged() && (mode & Msr.PR) != 0) {
            return false;
        }
        return switch (row.facility()) {
            case NONE -> true;
            case FP -> (mode & Msr.FP) != 0;
            case VEC -> (mode & Msr.VEC) != 0;
            case VSX -> (mode & Msr.VSX) != 0;
            case FP_OR_VEC -> (mode & (Msr.FP | Msr.VEC)) == (Msr.FP | Msr.VEC);
            case VSX_OR_VEC -> (mode & (Msr.VSX | Msr.VEC)) == (Msr.VSX | Msr.VEC);
        };
    }

    /** Rows whose semantics read or write GPRs their operand fields do not name (or the hypervisor does). */
    private static final Set<String> IMPLICIT_GPRS = Set.of("LMW", "STMW", "LSWI", "LSWX", "STSWI", "STSWX", "SC",
            "SCV");

    /**
     * The GPRs the interpreter's semantics for {@code word} may read or write: those its GPR operand fields name
     * (and the second register of an even-odd pair), or null for "any" (the rows above, and privileged rows,
     * whose semantics reach the hypervisor and machine state).
     */
    static boolean[] gprsTouchedByFallback(InsnPattern row, int word) {
        if (row.privileged() || IMPLICIT_GPRS.contains(row.mnemonic())) {
            return null;
        }
        boolean[] touched = new boolean[32];
        for (Field f : row.fields().values()) {
            if (f.kind() == FieldKind.GPR) {
                int r = f.raw(word);
                touched[r] = true;
                touched[(r + 1) & 31] |= f.name().endsWith("p"); // rtp, rsp: RT and RT+1
            }
        }
        return touched;
    }

    /** Every instruction of {@code unit}: inline where its row has an emitter, else a fallback. */
    private void emitBody(BytecodeEmitter e, TranslationUnit unit, boolean counting) {
        for (int i = 0; i < unit.length(); i++) {
            e.beginInsn(i);
            InsnPattern row = unit.rows()[i];
            int word = unit.words()[i];
            InsnEmitter emitter = inlinable(row, unit.mode()) ? emitters.emitter(row.id()) : null;
            boolean inline = emitter != null && emitter.emit(e, row, word);
            e.fallbackOrSlowPath(inline, row, word, () -> {
                Semantics semantics = interpreter.semantics(row.id());
                return counting ? stats.counting(row, semantics) : semantics;
            });
            e.endInsn();
        }
    }

    /**
     * The unit class's {@link BytecodeEmitter#RUNTIME_FIELD}: a static final field, which HotSpot trusts as a
     * constant, set by the class initializer from the class data ({@link MethodHandles#classData}).
     */
    private void declareRuntime(ClassWriter cw, String className) {
        String desc = Type.getDescriptor(runtime.getClass());
        cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, BytecodeEmitter.RUNTIME_FIELD, desc, null, null)
                .visitEnd();
        MethodVisitor init = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        init.visitCode();
        init.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
                "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
        init.visitLdcInsn("_");
        init.visitLdcInsn(Type.getType(desc));
        init.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "classData",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;",
                false);
        init.visitTypeInsn(CHECKCAST, Type.getInternalName(runtime.getClass()));
        init.visitFieldInsn(PUTSTATIC, className, BytecodeEmitter.RUNTIME_FIELD, desc);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
    }

    /** The GPRs the unit's inline code names: those it keeps in locals. */
    private boolean[] gprsInLocals(TranslationUnit unit) {
        boolean[] gprs = new boolean[32];
        for (int i = 0; i < unit.length(); i++) {
            if (inlinable(unit.rows()[i], unit.mode()) && emitters.emitter(unit.rows()[i].id()) != null) {
                FixedPointEmitters.registersOf(unit.rows()[i], unit.words()[i], gprs);
            }
        }
        return gprs;
    }

    /**
     * A recording pass: the unit emitted into nothing, to find the registers its inline code writes, and where.
     * Only those are spilled, and each exit writes back only what may have been written on the way to it.
     */
    private BytecodeEmitter record(TranslationUnit unit, boolean[] gprs) {
        BytecodeEmitter recorder = new BytecodeEmitter(new MethodVisitor(ASM9) { }, unit, gprs, runtime.getClass(),
                null, UNIT_NAME);
        emitBody(recorder, unit, false);
        return recorder;
    }

    /** What each exit of {@code unit} writes back (tests). */
    RegisterWriteFlow exitWrites(TranslationUnit unit) {
        return record(unit, gprsInLocals(unit)).flow().solve();
    }

    /**
     * @throws org.objectweb.asm.MethodTooLargeException when the unit does not fit one JVM method
     * @throws UnitTooLargeException when the unit's method is too large for HotSpot to compile
     */
    public CompiledUnit translate(TranslationUnit unit) {
        boolean[] gprs = gprsInLocals(unit);
        // JUSTIFICATION (class file version 49): a unit's class needs no stack map frames then, and the JVM's
        // verifier infers the types itself when it loads the class. Computing frames with ASM (COMPUTE_FRAMES)
        // was most of a translation's time, and C1 and C2 compiled ASM's frame analysis as well: strmem, which
        // translates 168 units, 2.4 % less CPU, sha256 1.8 %. A class of that version cannot use dynamic
        // constants, so the runtime comes from a static final field set from the class data.
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        // The guest address in the name: profilers (perf's map, JFR, PrintCompilation) then show where guest time goes.
        String className = UNIT_NAME + "_" + Long.toHexString(unit.startPc());
        cw.visit(V1_5, ACC_FINAL | ACC_SUPER, className, null, BytecodeEmitter.BASE, null);
        declareRuntime(cw, className);
        MethodVisitor init = cw.visitMethod(0, "<init>", INIT_DESC, null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitVarInsn(ALOAD, 1);
        init.visitVarInsn(ALOAD, 2);
        init.visitMethodInsn(INVOKESPECIAL, BytecodeEmitter.BASE, "<init>", INIT_DESC, false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_FINAL, "run", "(" + BytecodeEmitter.CPU_DESC + "J)I",
                null, null);
        BytecodeEmitter recorder = record(unit, gprs);
        BytecodeEmitter e = new BytecodeEmitter(mv, unit, gprs, runtime.getClass(), recorder.flow().solve(),
                className);
        e.prologue();
        emitBody(e, unit, stats != null);
        long[] exits = e.epilogue(Type.getInternalName(GuestInterruptSignal.class),
                Type.getInternalName(GuestMemoryAccessException.class),
                Type.getInternalName(CodeModifiedSignal.class));
        cw.visitEnd();
        int compiledSize = e.codeLength() + e.inlinedBytes();
        if (compiledSize > HUGE_METHOD_LIMIT && unit.length() > 1) {
            throw new UnitTooLargeException(unit.length(), compiledSize, HUGE_METHOD_LIMIT);
        }
        byte[] bytes = cw.toByteArray(); // MethodTooLargeException propagates: the executor retries shorter
        try {
            Class<?> c = LOOKUP.defineHiddenClassWithClassData(bytes, runtime, true).lookupClass();
            CompiledUnit.UnitInfo info = new CompiledUnit.UnitInfo(unit.startPc(), unit.mode(), unit.length(),
                    unit.segments(), exits);
            CompiledUnit compiled = (CompiledUnit) MethodHandles.privateLookupIn(c, LOOKUP)
                    .findConstructor(c, MethodType.methodType(void.class, Semantics[].class,
                            CompiledUnit.UnitInfo.class))
                    .invoke(e.fallbacks(), info);
            translated++;
            return compiled;
        } catch (Throwable t) {
            throw new IllegalStateException(String.format("translating the unit at 0x%x (%d instructions) failed",
                    unit.startPc(), unit.length()), t);
        }
    }
}
