package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.interp.GuestInterruptSignal;
import dev.pvm.engine.cpu.interp.StorageAccess;
import dev.pvm.engine.cpu.isa.Field;
import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.mmu.SoftTlb;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds translation units: from an entry address, the region of code reachable through fall-through and direct
 * branches, up to calls, returns and other register branches, {@code sc}, an undecodable word, a fetch fault,
 * the size limit, and a window around the entry (with instruction relocation: the entry's 4 KiB page). An
 * unconditional direct branch is followed, its target laid out next; conditional branches' targets are scanned
 * after the current run. So a unit holds several basic blocks and the loops among them, an if/else inside a loop
 * and a loop entered in its middle ({@code b} to its test) included.
 *
 * <p>A loop head other than the entry ends the region instead: the loop is its own unit, entered there.
 * Otherwise each unit before a loop would hold another copy of it (translated and compiled again), and a hot
 * inner loop would sit in a larger method, whose extra live registers make HotSpot's code for it worse (crc32's
 * byte loop: 10 % slower measured so). A loop head is the target of a branch back in layout order
 * ({@link #loopHeads}).
 *
 * <p>Code below the entry is followed too. A loop whose body calls a function is cut by the call: its head runs
 * up to the call, and the code after the call (the return point, a unit of its own) ends with the branch back
 * to the head. Laying the head out after that branch makes the return point's unit run the whole way round to
 * the next call, one unit entry per iteration instead of two (interp's dispatch loop: 235 M entries to 157 M,
 * 7 % less CPU; sha256's blocks 26 M to 8 M; quicksort's partition loop 53 M to 44 M, 6 % less CPU). The head's
 * own unit is then entered only once and stays decoded.
 *
 * <p>{@code sc} always forms a unit of its own: it calls the hypervisor or raises, and lockstep mode must
 * recognise it to run its side effects once.
 *
 * <p>A scanner keeps its index between scans: one per vCPU's executor, used by that vCPU's thread only.
 */
public final class BlockScanner {

    /** Longest unit: enough for unrolled loop bodies, small enough to stay well under the JVM's method limits. */
    public static final int MAX_INSNS = 200;

    /**
     * How far from its entry (in bytes, above or below) a unit's code may lie: branches inside one function mostly
     * stay this close.
     */
    static final long WINDOW = 4096;

    private final Decoder decoder;
    private final StorageAccess storage;

    // What the scan needs of each row, by row id, found once from the mnemonics instead of per instruction.
    private static final byte OTHER = 0;
    private static final byte JUMP = 1; // b
    private static final byte CONDITIONAL = 2; // bc
    private static final byte REGISTER = 3; // bclr, bcctr
    private static final byte SYSTEM_CALL = 4; // sc
    private final byte[] kinds;
    /** The branch rows' LK, AA and BO fields and displacement (LI or BD), by row id; null for other rows. */
    private final Field[] lk;
    private final Field[] aa;
    private final Field[] bo;
    private final Field[] displacement;

    public BlockScanner(Decoder decoder, StorageAccess storage) {
        this.decoder = decoder;
        this.storage = storage;
        int rows = decoder.table().size();
        kinds = new byte[rows];
        lk = new Field[rows];
        aa = new Field[rows];
        bo = new Field[rows];
        displacement = new Field[rows];
        for (int id = 0; id < rows; id++) {
            InsnPattern row = decoder.table().pattern(id);
            kinds[id] = switch (row.mnemonic()) {
                case "B" -> JUMP;
                case "BC" -> CONDITIONAL;
                case "BCLR", "BCCTR" -> REGISTER;
                case "SC" -> SYSTEM_CALL;
                default -> OTHER;
            };
            if (kinds[id] != OTHER && kinds[id] != SYSTEM_CALL) {
                lk[id] = row.field("lk");
                if (kinds[id] != JUMP) {
                    bo[id] = row.field("bo");
                }
                if (kinds[id] != REGISTER) {
                    aa[id] = row.field("aa");
                    displacement[id] = row.field(kinds[id] == JUMP ? "li" : "bd");
                }
            }
        }
    }

    /**
     * Scans from {@code pc} in the CPU's current mode.
     *
     * @return the unit, or null when not even the first instruction can be fetched or decoded
     */
    public TranslationUnit scan(CpuState cpu, long pc, int maxInsns) {
        // A first scan finds the loop heads; a second stops at them.
        TranslationUnit whole = scan(cpu, pc, maxInsns, Set.of());
        if (whole == null) {
            return null;
        }
        Set<Long> loopHeads = loopHeads(whole);
        return loopHeads.isEmpty() ? whole : scan(cpu, pc, maxInsns, loopHeads);
    }

    /**
     * The addresses of {@code unit}'s loop heads other than its entry: the targets of branches back in layout
     * order. Addresses do not tell a loop: code below the entry is laid out after the code that branches down to
     * it. A cycle closed only by falling through (a loop entered at its test, the test laid out first) stays whole
     * in the unit, which is as correct (every jump back in layout order checks the budget) and measured better
     * than finding every cycle by a depth-first walk: entered in the middle of quicksort's partition loop, such a
     * walk cut the outer loop at a different place from each entry (65 M unit entries against 44 M).
     */
    static Set<Long> loopHeads(TranslationUnit unit) {
        Set<Long> heads = new HashSet<>();
        for (int i = 0; i < unit.length(); i++) {
            int t = unit.internal()[i];
            if (t > 0 && t <= i) {
                heads.add(unit.pc(t));
            }
        }
        return heads;
    }

    /**
     * Word addresses within {@link #WINDOW} of an entry, either way: the scan indexes its instructions by them in
     * plain arrays (no boxed addresses in hash maps: a cold scan runs in the JVM's interpreter, and decoded units
     * are scanned by the thousand while a program starts).
     */
    private static final int SLOTS = (int) (2 * WINDOW / 4);

    /** The slot of word address {@code a} in the window around {@code entry} ({@link #inWindow} holds). */
    private static int slot(long entry, long a) {
        return (int) ((a - entry + WINDOW) >> 2);
    }

    // A scan's index by slot, kept between scans: an entry counts only while its stamp is the current scan's, so
    // nothing is cleared or allocated per scan (a cold scan runs in the JVM's interpreter, where clearing 2,048
    // slots is a loop of its own).
    private final int[] slotIndex = new int[SLOTS];
    private final int[] slotStamp = new int[SLOTS];
    private final int[] stopStamp = new int[SLOTS];
    private int stamp;

    /** The layout index at {@code slot} in the current scan, or -1. */
    private int indexAt(int slot) {
        return slotStamp[slot] == stamp ? slotIndex[slot] : -1;
    }

    private TranslationUnit scan(CpuState cpu, long pc, int maxInsns, Set<Long> stopSet) {
        int[] words = new int[maxInsns];
        InsnPattern[] rows = new InsnPattern[maxInsns];
        long[] pcs = new long[maxInsns];
        int n = 0;
        if (++stamp == 0) { // wrapped: stamps of old scans could match again
            Arrays.fill(slotStamp, 0);
            Arrays.fill(stopStamp, 0);
            stamp = 1;
        }
        for (long head : stopSet) {
            stopStamp[slot(pc, head)] = stamp; // a loop head of this entry's unit: inside its window
        }
        boolean relocated = (cpu.msr & Msr.IR) != 0;
        // Runs still to scan: a ring, first in first out, with jumps' targets put at its front. Each instruction
        // adds at most one, so it never holds more than maxInsns + 1.
        long[] work = new long[maxInsns + 1];
        int workHead = 0;
        int workCount = 1;
        work[0] = pc;
        boolean systemCall = false;
        while (workCount > 0 && n < maxInsns && !systemCall) {
            long run = work[workHead];
            workHead = (workHead + 1) % work.length;
            workCount--;
            if (!inWindow(pc, run, relocated) || indexAt(slot(pc, run)) >= 0 || stopStamp[slot(pc, run)] == stamp) {
                continue;
            }
            for (long a = run; n < maxInsns; a += 4) {
                if (a != run && (!inWindow(pc, a, relocated) || indexAt(slot(pc, a)) >= 0
                        || stopStamp[slot(pc, a)] == stamp)) {
                    break;
                }
                int w;
                try {
                    w = storage.fetch(cpu, a);
                } catch (GuestInterruptSignal fault) {
                    break;
                }
                int id = decoder.decode(w);
                if (id == Decoder.ILLEGAL) {
                    break;
                }
                InsnPattern row = decoder.table().pattern(id);
                boolean sc = kinds[id] == SYSTEM_CALL;
                if (sc && n > 0) {
                    break;
                }
                slotIndex[slot(pc, a)] = n;
                slotStamp[slot(pc, a)] = stamp;
                words[n] = w;
                rows[n] = row;
                pcs[n] = a;
                n++;
                if (sc) {
                    systemCall = true; // alone in its unit
                    break;
                }
                long target = directTarget(id, w, a);
                if (endsUnit(id, w)) {
                    if (target != -1) {
                        // An unconditional jump: its target laid out next.
                        workHead = (workHead + work.length - 1) % work.length;
                        work[workHead] = target;
                        workCount++;
                    }
                    break;
                }
                if (target != -1) {
                    work[(workHead + workCount) % work.length] = target;
                    workCount++;
                }
            }
        }
        if (n == 0) {
            return null;
        }
        int[] ws = Arrays.copyOf(words, n);
        InsnPattern[] rs = Arrays.copyOf(rows, n);
        long[] ps = Arrays.copyOf(pcs, n);
        boolean[] leaders = new boolean[n];
        int[] internal = new int[n];
        Arrays.fill(internal, -1);
        for (int i = 0; i < n; i++) {
            if (i == 0 || ps[i] != ps[i - 1] + 4) {
                leaders[i] = true;
            }
            int next = indexOf(pc, ps[i] + 4);
            if (next >= 0 && next != i + 1) {
                leaders[next] = true; // reached by a fall-through jump
            }
            int id = rs[i].id();
            if (!isBranch(id)) {
                continue;
            }
            if (i + 1 < n) {
                leaders[i + 1] = true;
            }
            long target = directTarget(id, ws[i], ps[i]);
            int t = target == -1 ? -1 : indexOf(pc, target);
            if (t >= 0) {
                internal[i] = t;
                leaders[t] = true;
            }
        }
        return new TranslationUnit(pc, cpu.msr & TranslationUnit.MODE_MASK, ws, rs, ps, leaders, internal);
    }

    /** The layout index of the instruction at {@code a} in the current scan from {@code entry}, or -1. */
    private int indexOf(long entry, long a) {
        return Math.abs(a - entry) < WINDOW ? indexAt(slot(entry, a)) : -1;
    }

    /** Whether {@code a} may be part of the unit entered at {@code entry}. */
    private static boolean inWindow(long entry, long a, boolean relocated) {
        if (relocated) {
            return (a & ~SoftTlb.PAGE_OFFSET) == (entry & ~SoftTlb.PAGE_OFFSET);
        }
        return Math.abs(a - entry) < WINDOW;
    }

    private boolean isBranch(int id) {
        return kinds[id] == JUMP || kinds[id] == CONDITIONAL || kinds[id] == REGISTER;
    }

    /** An unconditional transfer, or a call: nothing after it is reached from it inside the unit. */
    private boolean endsUnit(int id, int w) {
        return switch (kinds[id]) {
            case JUMP -> true;
            case CONDITIONAL, REGISTER -> lk[id].raw(w) != 0 || branchesAlways(bo[id].raw(w));
            default -> false;
        };
    }

    /** BO = 1z1zz: no CTR decrement and no CR test. */
    static boolean branchesAlways(int bo) {
        return (bo & 0b10100) == 0b10100;
    }

    /** The target of a relative, non-linking B/BC (internal jumps must not set LR), else -1. */
    private long directTarget(int id, int w, long pc) {
        if (kinds[id] != JUMP && kinds[id] != CONDITIONAL) {
            return -1;
        }
        if (lk[id].raw(w) != 0 || aa[id].raw(w) != 0) {
            return -1;
        }
        return pc + displacement[id].extract(w);
    }
}
