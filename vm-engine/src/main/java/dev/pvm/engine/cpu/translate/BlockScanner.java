package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.interp.GuestInterruptSignal;
import dev.pvm.engine.cpu.interp.StorageAccess;
import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.mmu.SoftTlb;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds translation units: instructions from a start address, through conditional branches, up to the first
 * unconditional branch (or a call, a return, an undecodable word, a fetch fault, the size limit, or with
 * instruction relocation the end of the 4 KiB page). A
 * conditional branch may fall through, so a unit holds several basic blocks and the loops among them.
 *
 * <p>{@code sc} always forms a unit of its own: it calls the hypervisor or raises, and lockstep mode must
 * recognise it to run its side effects once.
 */
public final class BlockScanner {

    /** Longest unit: enough for unrolled loop bodies, small enough to stay well under the JVM's method limits. */
    public static final int MAX_INSNS = 200;

    private final Decoder decoder;
    private final StorageAccess storage;

    public BlockScanner(Decoder decoder, StorageAccess storage) {
        this.decoder = decoder;
        this.storage = storage;
    }

    /**
     * Scans from {@code pc} in the CPU's current mode.
     *
     * @return the unit, or null when not even the first instruction can be fetched or decoded
     */
    public TranslationUnit scan(CpuState cpu, long pc, int maxInsns) {
        List<Integer> words = new ArrayList<>();
        List<InsnPattern> rows = new ArrayList<>();
        boolean relocated = (cpu.msr & Msr.IR) != 0;
        for (int n = 0; n < maxInsns; n++) {
            long a = pc + 4L * n;
            // With instruction relocation the next page may map anywhere: a unit stays within one page.
            if (relocated && n > 0 && (a & SoftTlb.PAGE_OFFSET) == 0) {
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
            boolean sc = row.mnemonic().equals("SC");
            if (sc && n > 0) {
                break;
            }
            words.add(w);
            rows.add(row);
            if (sc || endsUnit(row, w)) {
                break;
            }
        }
        if (words.isEmpty()) {
            return null;
        }
        int n = words.size();
        int[] ws = words.stream().mapToInt(Integer::intValue).toArray();
        InsnPattern[] rs = rows.toArray(InsnPattern[]::new);
        boolean[] leaders = new boolean[n];
        int[] internal = new int[n];
        Arrays.fill(internal, -1);
        leaders[0] = true;
        for (int i = 0; i < n; i++) {
            if (!isBranch(rs[i])) {
                continue;
            }
            if (i + 1 < n) {
                leaders[i + 1] = true;
            }
            long target = directTarget(rs[i], ws[i], pc + 4L * i);
            if (target != -1 && target >= pc && target < pc + 4L * n) {
                int t = (int) ((target - pc) >>> 2);
                internal[i] = t;
                leaders[t] = true;
            }
        }
        return new TranslationUnit(pc, cpu.msr & TranslationUnit.MODE_MASK, ws, rs, leaders, internal);
    }

    static boolean isBranch(InsnPattern row) {
        return switch (row.mnemonic()) {
            case "B", "BC", "BCLR", "BCCTR" -> true;
            default -> false;
        };
    }

    /** An unconditional transfer, or a call: nothing after it is reached from it inside the unit. */
    private static boolean endsUnit(InsnPattern row, int w) {
        return switch (row.mnemonic()) {
            case "B" -> true;
            case "BC", "BCLR", "BCCTR" -> row.field("lk").raw(w) != 0 || branchesAlways(row.field("bo").raw(w));
            default -> false;
        };
    }

    /** BO = 1z1zz: no CTR decrement and no CR test. */
    static boolean branchesAlways(int bo) {
        return (bo & 0b10100) == 0b10100;
    }

    /** The target of a relative, non-linking B/BC (internal jumps must not set LR), else -1. */
    private static long directTarget(InsnPattern row, int w, long pc) {
        String m = row.mnemonic();
        if (!m.equals("B") && !m.equals("BC")) {
            return -1;
        }
        if (row.field("lk").raw(w) != 0 || row.field("aa").raw(w) != 0) {
            return -1;
        }
        return pc + row.field(m.equals("B") ? "li" : "bd").extract(w);
    }
}
