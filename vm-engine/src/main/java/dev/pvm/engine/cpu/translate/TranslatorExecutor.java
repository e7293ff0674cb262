package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Hypervisor;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.TimeBase;
import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.interp.GuestInterruptSignal;
import dev.pvm.engine.cpu.interp.Interpreter;
import dev.pvm.engine.cpu.interp.Semantics;
import dev.pvm.engine.cpu.mmu.AccessKind;
import dev.pvm.engine.cpu.runtime.CodePageMap;
import dev.pvm.engine.cpu.runtime.CodePages;
import dev.pvm.engine.cpu.runtime.CompiledUnitExits;
import dev.pvm.engine.cpu.runtime.TrackingMemory;
import dev.pvm.engine.cpu.runtime.WriteJournal;
import dev.pvm.engine.memory.GuestMemory;
import org.objectweb.asm.MethodTooLargeException;

/**
 * Runs a vCPU through translated units: looks the unit for NIA up (translating it on first use), runs it, and
 * follows its exit, through the exit's chain slot for a direct branch or the unit's one-entry cache for an
 * indirect one, so the hash lookup only happens for new or invalidated successors.
 *
 * <p>It falls back to the interpreter where it does not translate: 32-bit mode, an undecodable or unfetchable
 * word (the interpreter raises the right interrupt), and a store that hit translated code (the interpreter
 * performs it, invalidating the page). With a translation threshold ({@link #translateAfter}) it also interprets
 * code until it has been entered that many times, one basic block at a time (up to the first taken branch).
 *
 * <p>With instruction relocation (MSR[IR]=1) a unit lies within one 4 KiB page and remembers the real address it
 * was fetched from; entering it, through the cache or a chain slot, first translates NIA through the vCPU's
 * instruction TLB (an index and a compare) and runs the unit only if the page still maps to that real address.
 * So a changed mapping never runs stale code, and stores to code still find their units by real page.
 */
public final class TranslatorExecutor implements CpuExecutor {

    private final Decoder decoder;
    private final Interpreter interpreter;
    private final BlockScanner scanner;
    private final BlockTranslator translator;
    private final TranslationCache cache = new TranslationCache();
    /** Units by entry address, direct-mapped: the indirect exits' second level ({@link #indirectSuccessor}). */
    private final CompiledUnit[] jumpCache = new CompiledUnit[JUMP_CACHE_SIZE];
    private static final int JUMP_CACHE_SIZE = 4096;
    private final CodePages pages;
    private final WriteJournal journal;
    private final GuestMemory trackingMemory;
    /** Profiling counters ({@link TranslatorStats#PROPERTY}), or null. */
    private final TranslatorStats stats;
    /** Entries of a unit's code before it is translated (it runs decoded until then); 0 translates at once. */
    private int threshold;

    public TranslatorExecutor(Decoder decoder, GuestMemory memory, Hypervisor hypervisor, TimeBase timeBase,
            CpuModel model, EmitterTable emitters) {
        this(decoder, memory, new RealModeTranslatorMemory(memory), hypervisor, timeBase, model, emitters);
    }

    /**
     * @param memory      guest memory as the interpreter sees it (stores through it are tracked and journaled)
     * @param unitMemory  how translated code reaches that memory (inline fast path, code pages)
     */
    public TranslatorExecutor(Decoder decoder, GuestMemory memory, TranslatorMemory unitMemory,
            Hypervisor hypervisor, TimeBase timeBase, CpuModel model, EmitterTable emitters) {
        this.decoder = decoder;
        this.pages = unitMemory.codePages(cache::invalidatePage);
        this.journal = new WriteJournal(memory);
        this.trackingMemory = new TrackingMemory(memory, pages, journal);
        this.interpreter = new Interpreter(decoder, trackingMemory, hypervisor, timeBase, model);
        this.scanner = new BlockScanner(decoder, interpreter.storage());
        this.stats = TranslatorStats.enabledByProperty() ? new TranslatorStats(decoder.table().size()) : null;
        this.translator = new BlockTranslator(emitters, interpreter,
                unitMemory.unitMemory(journal, interpreter.storage()), stats);
    }

    @Override
    public long run(CpuState cpu, long budget) {
        if (cpu.pendingInterrupt != null) {
            throw new IllegalStateException("vCPU " + cpu.index + " has an undelivered interrupt: "
                    + cpu.pendingInterrupt.describe());
        }
        cpu.stopRequested = false;
        cpu.requests.drain();
        long start = cpu.instructions;
        CompiledUnit prev = null;
        int exit = 0;
        while (true) {
            long done = cpu.instructions - start;
            // Other vCPUs' requests (TLB shootdown, their stores to code translated here) are served at a unit
            // boundary by the machine, outside this loop.
            if (done >= budget || cpu.requests.pending()) {
                break;
            }
            CompiledUnit u;
            if (prev == null) {
                u = unitFor(cpu);
            } else if (exit >= 0) {
                u = prev.chained[exit];
                if (u == null || !u.valid || !mapsTo(cpu, u)) {
                    u = unitFor(cpu);
                    prev.chained[exit] = u;
                } else if (stats != null) {
                    stats.chainHits++;
                }
            } else {
                u = indirectSuccessor(cpu, prev);
            }
            if (u == null) {
                long steps = interpretBlock(cpu, budget - done);
                if (stats != null) {
                    stats.interpretedSteps += steps;
                }
                prev = null;
                if (cpu.stopRequested) {
                    break;
                }
                continue;
            }
            if (u instanceof DecodedUnit d && d.hot(threshold)) {
                u = promote(cpu, d);
            }
            if (stats != null) {
                stats.dispatches++;
            }
            exit = u.run(cpu, budget - done);
            if (exit == CompiledUnitExits.STOP) {
                break;
            }
            if (exit == CompiledUnitExits.CODE_MODIFIED) {
                if (stats != null) {
                    stats.codeModifiedExits++;
                }
                interpreter.run(cpu, 1);
                prev = null;
                if (cpu.stopRequested) {
                    break;
                }
                continue;
            }
            prev = u;
        }
        return cpu.instructions - start;
    }

    /**
     * The unit at NIA after {@code prev}'s indirect exit: {@code prev}'s one-entry cache, else the jump cache,
     * else the hash lookup. The jump cache (QEMU's tb_jmp_cache) serves the exits that take many targets in turn:
     * a bctrl through a table of handlers, the blr of a function called from many places (interp's dispatch
     * bctrl takes 13 handlers round-robin: 68 M hash lookups in 235 M unit entries with the one entry alone).
     */
    private CompiledUnit indirectSuccessor(CpuState cpu, CompiledUnit prev) {
        long nia = cpu.nia;
        long mode = cpu.msr & TranslationUnit.MODE_MASK;
        CompiledUnit u = prev.indirectUnit;
        if (u != null && prev.indirectPc == nia && u.valid && u.mode == mode && mapsTo(cpu, u)) {
            if (stats != null) {
                stats.indirectHits++;
            }
            return u;
        }
        int slot = (int) (nia >>> 2) & (JUMP_CACHE_SIZE - 1);
        u = jumpCache[slot];
        if (u != null && u.startPc == nia && u.valid && u.mode == mode && mapsTo(cpu, u)) {
            if (stats != null) {
                stats.indirectHits++;
            }
        } else {
            u = unitFor(cpu);
            jumpCache[slot] = u;
        }
        prev.indirectPc = nia;
        prev.indirectUnit = u;
        return u;
    }

    /**
     * Interprets from NIA up to and including the first instruction that does not fall through to the next
     * address (a taken branch, rfid, sc, an interrupt), or until a stop or the budget.
     *
     * @return the instructions attempted (the interpreter's steps)
     */
    private long interpretBlock(CpuState cpu, long budget) {
        long n = 0;
        while (n < budget) {
            long next = (cpu.nia + 4) & cpu.eaMask;
            interpreter.run(cpu, 1);
            n++;
            if (cpu.stopRequested || cpu.nia != next) {
                break;
            }
        }
        return n;
    }

    /** The system property that overrides an engine's translation threshold ({@link #translateAfter}). */
    public static final String TRANSLATE_AFTER_PROPERTY = "pvm.cpu.translate-after";

    /**
     * Translates code only once it has been entered {@code entries} times (a loop head counts each iteration),
     * running it as a {@link DecodedUnit} until then (system mode: most of a boot's code runs a few times).
     * Lockstep's steps translate regardless.
     */
    public void translateAfter(int entries) {
        if (entries < 0) {
            throw new IllegalArgumentException("translation threshold must not be negative, got " + entries);
        }
        this.threshold = entries;
    }

    /** One instruction through a unit translated for it alone (uncached: single-stepping is rare). */
    @Override
    public long step(CpuState cpu) {
        return step(cpu, 1, 1);
    }

    /**
     * Runs one unit (or one interpreted instruction) without chaining: lockstep's step.
     *
     * @param maxInsns 1 translates a unit of just the instruction at NIA, uncached (lockstep's narrowing)
     * @return instructions completed
     */
    long step(CpuState cpu, long remaining, int maxInsns) {
        cpu.stopRequested = false;
        long start = cpu.instructions;
        CompiledUnit u;
        if (maxInsns == 1) {
            TranslationUnit tu = translatable(cpu) ? scanner.scan(cpu, cpu.nia, 1) : null;
            u = tu == null ? null : translator.translate(tu);
        } else {
            u = unitFor(cpu, false);
        }
        if (u == null) {
            interpreter.run(cpu, 1);
        } else if (u.run(cpu, remaining) == CompiledUnitExits.CODE_MODIFIED) {
            interpreter.run(cpu, 1);
        }
        return cpu.instructions - start;
    }

    private static boolean translatable(CpuState cpu) {
        return (cpu.msr & Msr.SF) != 0;
    }

    /**
     * The real address of the instruction at NIA, or -1 when fetching it faults (the interpreter then raises the
     * interrupt). With relocation on, a hit in the instruction TLB costs an index and a compare.
     */
    private long realPc(CpuState cpu) {
        long pc = cpu.nia;
        if ((cpu.msr & Msr.IR) == 0) {
            return pc & CpuState.REAL_MODE_ADDRESS_MASK;
        }
        long real = cpu.mmu.tlb.lookup(pc, cpu.msr, AccessKind.FETCH);
        if (real >= 0) {
            return real;
        }
        try {
            return interpreter.storage().fetchAddress(cpu, pc);
        } catch (GuestInterruptSignal fault) {
            return -1;
        }
    }

    /** Whether unit {@code u} (the successor at NIA) was translated from the code NIA now maps to. */
    private boolean mapsTo(CpuState cpu, CompiledUnit u) {
        return (u.mode & Msr.IR) == 0 || realPc(cpu) == u.realStart;
    }

    /** The unit at NIA in the current mode, translated now if new and hot; null where there is none (yet). */
    private CompiledUnit unitFor(CpuState cpu) {
        return unitFor(cpu, threshold > 0);
    }

    /**
     * The unit at NIA in the current mode, made now if new: translated, or with {@code counted} decoded (until it
     * is hot); null where the translator does not go.
     */
    private CompiledUnit unitFor(CpuState cpu, boolean counted) {
        if (!translatable(cpu)) {
            return null;
        }
        long pc = cpu.nia;
        long real = realPc(cpu);
        if (real < 0) {
            return null;
        }
        long mode = cpu.msr & TranslationUnit.MODE_MASK;
        if (stats != null) {
            stats.lookups++;
        }
        CompiledUnit u = cache.get(pc, mode, real);
        if (u == null) {
            u = counted ? decodeAt(cpu, pc) : translateAt(cpu, pc);
            if (u == null) {
                return null;
            }
            cache.put(u, real, pages);
        }
        return u;
    }

    /** The unit at {@code pc} decoded for the interpreter's semantics, or null when nothing there decodes. */
    private CompiledUnit decodeAt(CpuState cpu, long pc) {
        TranslationUnit tu = scanner.scan(cpu, pc, BlockScanner.MAX_INSNS);
        if (tu == null) {
            return null;
        }
        Semantics[] semantics = new Semantics[tu.length()];
        for (int i = 0; i < semantics.length; i++) {
            semantics[i] = interpreter.semantics(tu.rows()[i].id());
        }
        return new DecodedUnit(tu, semantics);
    }

    /**
     * The hot decoded unit {@code d} (at NIA, in the current mode) translated, in its place in the cache; slots
     * holding {@code d} look the translation up, since {@code d} is no longer valid.
     */
    private CompiledUnit promote(CpuState cpu, DecodedUnit d) {
        CompiledUnit u = translateAt(cpu, cpu.nia);
        if (u == null) {
            return d;
        }
        cache.replace(d, u, pages);
        d.valid = false;
        return u;
    }

    /**
     * Scans and translates the unit at {@code pc}; a unit whose method would exceed the JVM's 64 KiB code limit
     * (many fallbacks, each spilling and reloading registers) is scanned again at half the length, and one too
     * large for HotSpot to compile at the length that should fit.
     */
    private CompiledUnit translateAt(CpuState cpu, long pc) {
        for (int max = BlockScanner.MAX_INSNS;;) {
            TranslationUnit tu = scanner.scan(cpu, pc, max);
            if (tu == null) {
                return null;
            }
            try {
                return translator.translate(tu);
            } catch (UnitTooLargeException e) {
                max = e.fittingLength();
            } catch (MethodTooLargeException e) {
                if (tu.length() == 1) {
                    throw new IllegalStateException(String.format("one instruction at 0x%x does not fit a method",
                            pc), e);
                }
                max = Math.max(1, tu.length() / 2);
            }
        }
    }

    @Override
    public void codeChanged() {
        cache.clear();
        pages.clear();
    }

    @Override
    public ExecutionMode mode() {
        return ExecutionMode.TRANSLATOR;
    }

    public TranslationCache cache() {
        return cache;
    }

    /** The profiling report ({@link TranslatorStats#PROPERTY}), or null when counting is off. */
    public String statsReport(CpuState cpu) {
        return stats == null ? null : stats.report(translator.translated(), cpu.instructions, 40);
    }

    /** Units translated since creation. */
    public long translatedUnits() {
        return translator.translated();
    }

    Decoder decoder() {
        return decoder;
    }

    WriteJournal journal() {
        return journal;
    }

    CodePages pages() {
        return pages;
    }

    /** Guest memory as the interpreter fallbacks see it (stores journaled and checked against code pages). */
    GuestMemory trackingMemory() {
        return trackingMemory;
    }

    Interpreter interpreter() {
        return interpreter;
    }

    BlockTranslator translator() {
        return translator;
    }

    BlockScanner scanner() {
        return scanner;
    }
}
