package dev.pvm.engine.hcall;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.mmu.HashPageTable;
import dev.pvm.engine.cpu.mmu.PartitionMmu;
import dev.pvm.engine.memory.GuestMemory;
import java.util.Arrays;

/**
 * The {@code hcall-pft} and {@code hcall-bulk} function sets (LoPAPR 14.5.4.1): a hash partition's only way to
 * its HPT. Argument checks, results and their registers are QEMU's hw/ppc/spapr_softmmu.c: r4.. hold the
 * arguments, and outputs overwrite them from r4 on. Each call that removes or changes an HPTE also invalidates
 * the TLBs (the tlbie the partition cannot issue itself): QEMU flushes them whole, since a TLB tagged by effective
 * address cannot find the one virtual page; ours drops the entries filled from the HPTEs the call changed
 * ({@link dev.pvm.engine.cpu.mmu.SoftTlb#flushHpte}). Each HPTE's read-check-write happens under its group's lock
 * (PAPR's HPTE lock), and the call returns only once every vCPU's TLB has dropped them.
 *
 * <p>Two differences from QEMU: it ORs a private "dirty for migration" bit (0x40) into stored HPTEs, which H_READ
 * then returns; we have no migration and store HPTEs as given (bits 0x60 cleared, as QEMU does). And H_BULK_REMOVE
 * reports R and C where PAPR and KVM put them (bits 4:5 of the response), not shifted into the index as QEMU.
 */
public final class HashPageTableHcalls {

    public static final long H_REMOVE = 0x04;
    public static final long H_ENTER = 0x08;
    public static final long H_READ = 0x0c;
    public static final long H_PROTECT = 0x18;
    public static final long H_BULK_REMOVE = 0x124;

    /** Flags (r4), PAPR bit numbering from the most significant end (QEMU spapr.h). */
    static final long H_EXACT = 1L << (63 - 24);
    static final long H_READ_4 = 1L << (63 - 26);
    static final long H_AVPN = 1L << (63 - 32);
    static final long H_ANDCOND = 1L << (63 - 33);

    /** H_BULK_REMOVE translation specifier high doubleword (QEMU spapr_softmmu.c). */
    static final long BULK_TYPE = 0xC000_0000_0000_0000L;
    static final long BULK_REQUEST = 0x4000_0000_0000_0000L;
    static final long BULK_RESPONSE = 0x8000_0000_0000_0000L;
    static final long BULK_END = 0xC000_0000_0000_0000L;
    static final long BULK_CODE_PARAMETER = 0x2000_0000_0000_0000L;
    static final long BULK_FLAGS = 0x0300_0000_0000_0000L;
    static final long BULK_ANDCOND = 0x0100_0000_0000_0000L;
    static final long BULK_AVPN = 0x0200_0000_0000_0000L;
    static final long BULK_PTEX = 0x00FF_FFFF_FFFF_FFFFL;
    private static final int BULK_MAX = 4;

    /** The HPTE software bits H_ENTER clears (QEMU: pteh &= ~0x60). */
    private static final long SOFTWARE_BITS = 0x60L;

    private enum Removal { SUCCESS, NOT_FOUND, PARAMETER }

    private final PartitionMmu mmu;
    private final HashPageTable hpt;
    private final GuestMemory memory;

    private HashPageTableHcalls(PartitionMmu mmu, GuestMemory memory) {
        this.mmu = mmu;
        this.hpt = mmu.hashPageTable();
        this.memory = memory;
    }

    /**
     * Registers the calls. In a radix partition there is no HPT and each answers H_FUNCTION, as KVM's do for a
     * radix guest.
     */
    public static void register(HcallTable table, PartitionMmu mmu, GuestMemory memory) {
        HashPageTableHcalls calls = new HashPageTableHcalls(mmu, memory);
        table.register(H_REMOVE, "H_REMOVE", "hcall-pft", calls.withTable(calls::remove));
        table.register(H_ENTER, "H_ENTER", "hcall-pft", calls.withTable(calls::enter));
        table.register(H_READ, "H_READ", "hcall-pft", calls.withTable(calls::read));
        table.register(H_PROTECT, "H_PROTECT", "hcall-pft", calls.withTable(calls::protect));
        table.register(H_BULK_REMOVE, "H_BULK_REMOVE", "hcall-bulk", calls.withTable(calls::bulkRemove));
    }

    private HcallHandler withTable(HcallHandler handler) {
        return cpu -> hpt == null ? HcallStatus.H_FUNCTION : handler.handle(cpu);
    }

    /**
     * H_ENTER(flags, ptex, pteh, ptel): inserts an HPTE into the first free slot of ptex's group, or exactly at
     * ptex with H_EXACT; r4 = the index used. RAM must be mapped WIMG = 0010, anything else cache-inhibited.
     */
    private HcallStatus enter(CpuState cpu) {
        long flags = cpu.gpr[4];
        long ptex = cpu.gpr[5];
        long pteh = cpu.gpr[6];
        long ptel = cpu.gpr[7];
        int shift = mmu.pageSizes().pageShift(pteh, ptel);
        if (shift == 0) {
            return HcallStatus.H_PARAMETER;
        }
        long real = (ptel & HashPageTable.R_RPN) & ~((1L << shift) - 1);
        if (memory.isBacked(real, 1)) {
            if ((ptel & HashPageTable.R_WIMG) != HashPageTable.R_M) {
                return HcallStatus.H_PARAMETER;
            }
        } else {
            long wim = ptel & (HashPageTable.R_W | HashPageTable.R_I | HashPageTable.R_M);
            if (wim != HashPageTable.R_I && wim != (HashPageTable.R_I | HashPageTable.R_M)) {
                return HcallStatus.H_PARAMETER;
            }
        }
        pteh &= ~SOFTWARE_BITS;
        if (!hpt.validIndex(ptex)) {
            return HcallStatus.H_PARAMETER;
        }
        long group = ptex & ~7L;
        long slot = ptex & 7;
        synchronized (hpt.lock(group)) {
            if ((flags & H_EXACT) == 0) {
                for (slot = 0; slot < HashPageTable.HPTES_PER_GROUP; slot++) {
                    if ((hpt.pte0(group + slot) & HashPageTable.V_VALID) == 0) {
                        break;
                    }
                }
                if (slot == HashPageTable.HPTES_PER_GROUP) {
                    return HcallStatus.H_PTEG_FULL;
                }
            } else if ((hpt.pte0(group + slot) & HashPageTable.V_VALID) != 0) {
                return HcallStatus.H_PTEG_FULL;
            }
            hpt.insert(group + slot, pteh, ptel);
        }
        cpu.gpr[4] = group + slot;
        return HcallStatus.H_SUCCESS;
    }

    /** Removes HPTE {@code ptex} if valid and matching (H_AVPN: its AVPN, H_ANDCOND: no bit of avpn set). */
    private Removal removeEntry(long ptex, long avpn, long flags, long[] old) {
        if (!hpt.validIndex(ptex)) {
            return Removal.PARAMETER;
        }
        synchronized (hpt.lock(ptex)) {
            long v = hpt.pte0(ptex);
            if ((v & HashPageTable.V_VALID) == 0 || ((flags & H_AVPN) != 0 && (v & ~0x7fL) != avpn)
                    || ((flags & H_ANDCOND) != 0 && (v & avpn) != 0)) {
                return Removal.NOT_FOUND;
            }
            old[0] = v;
            // Doubleword 1 as it was when V went: translation may have set R or C up to then.
            old[1] = hpt.invalidate(ptex);
        }
        return Removal.SUCCESS;
    }

    /** H_REMOVE(flags, ptex, avpn): r4/r5 = the removed HPTE. */
    private HcallStatus remove(CpuState cpu) {
        long ptex = cpu.gpr[5];
        long[] old = new long[2];
        Removal result = removeEntry(ptex, cpu.gpr[6], cpu.gpr[4], old);
        return switch (result) {
            case SUCCESS -> {
                mmu.flushHptes(cpu.mmu, ptex);
                cpu.gpr[4] = old[0];
                cpu.gpr[5] = old[1];
                yield HcallStatus.H_SUCCESS;
            }
            case NOT_FOUND -> HcallStatus.H_NOT_FOUND;
            case PARAMETER -> HcallStatus.H_PARAMETER;
        };
    }

    /**
     * H_BULK_REMOVE: up to four (specifier, avpn) pairs in r4..r11. Each request's high doubleword is rewritten
     * in place as the response: type RESPONSE, the result code in bits 2:3, the removed HPTE's R and C in bits
     * 4:5, the flags and index kept. An END specifier stops early.
     */
    private HcallStatus bulkRemove(CpuState cpu) {
        HcallStatus status = HcallStatus.H_SUCCESS;
        long[] old = new long[2];
        long[] removed = new long[BULK_MAX];
        int removedCount = 0;
        for (int i = 0; i < BULK_MAX; i++) {
            int reg = 4 + 2 * i;
            long tsh = cpu.gpr[reg];
            long tsl = cpu.gpr[reg + 1];
            if ((tsh & BULK_TYPE) == BULK_END) {
                break;
            }
            if ((tsh & BULK_TYPE) != BULK_REQUEST) {
                status = HcallStatus.H_PARAMETER;
                break;
            }
            tsh = (tsh & (BULK_PTEX | BULK_FLAGS)) | BULK_RESPONSE;
            if ((tsh & BULK_ANDCOND) != 0 && (tsh & BULK_AVPN) != 0) {
                cpu.gpr[reg] = tsh | BULK_CODE_PARAMETER;
                status = HcallStatus.H_PARAMETER;
                break;
            }
            // The specifier's flags sit 26 bits above H_AVPN/H_ANDCOND.
            Removal result = removeEntry(tsh & BULK_PTEX, tsl, (tsh & BULK_FLAGS) >>> 26, old);
            tsh |= (long) result.ordinal() << 60;
            if (result == Removal.SUCCESS) {
                removed[removedCount++] = tsh & BULK_PTEX;
                // R and C into bits 4:5 as PAPR and KVM (<< 51); QEMU's << 43 lands them in the index field.
                tsh |= (old[1] & (HashPageTable.R_C | HashPageTable.R_R)) << 51;
            }
            cpu.gpr[reg] = tsh;
            if (result == Removal.PARAMETER) {
                status = HcallStatus.H_PARAMETER;
                break;
            }
        }
        mmu.flushHptes(cpu.mmu, Arrays.copyOf(removed, removedCount));
        return status;
    }

    /**
     * H_PROTECT(flags, ptex, avpn): sets the HPTE's PP0, PP, N and key bits from flags, with H_AVPN checking the
     * AVPN first.
     */
    private HcallStatus protect(CpuState cpu) {
        long flags = cpu.gpr[4];
        long ptex = cpu.gpr[5];
        long avpn = cpu.gpr[6];
        if (!hpt.validIndex(ptex)) {
            return HcallStatus.H_PARAMETER;
        }
        synchronized (hpt.lock(ptex)) {
            long v = hpt.pte0(ptex);
            if ((v & HashPageTable.V_VALID) == 0 || ((flags & H_AVPN) != 0 && (v & ~0x7fL) != avpn)) {
                return HcallStatus.H_NOT_FOUND;
            }
            long r;
            long protectedR;
            // Translation on other vCPUs may set R or C meanwhile: keep theirs, change only the protection.
            do {
                r = hpt.pte1(ptex);
                protectedR = r & ~(HashPageTable.R_PP0 | HashPageTable.R_PP | HashPageTable.R_N
                        | HashPageTable.R_KEY_HI | HashPageTable.R_KEY_LO);
                protectedR |= (flags << 55) & HashPageTable.R_PP0;
                protectedR |= (flags << 48) & HashPageTable.R_KEY_HI;
                protectedR |= flags & (HashPageTable.R_PP | HashPageTable.R_N | HashPageTable.R_KEY_LO);
            } while (!hpt.compareAndSetPte1(ptex, r, protectedR));
        }
        mmu.flushHptes(cpu.mmu, ptex);
        return HcallStatus.H_SUCCESS;
    }

    /** H_READ(flags, ptex): r4/r5 = HPTE ptex, or with H_READ_4 the four HPTEs from ptex & ~3 in r4..r11. */
    private HcallStatus read(CpuState cpu) {
        long flags = cpu.gpr[4];
        long ptex = cpu.gpr[5];
        if (!hpt.validIndex(ptex)) {
            return HcallStatus.H_PARAMETER;
        }
        int n = 1;
        if ((flags & H_READ_4) != 0) {
            ptex &= ~3L;
            n = 4;
        }
        synchronized (hpt.lock(ptex)) {
            for (int i = 0; i < n; i++) {
                cpu.gpr[4 + 2 * i] = hpt.pte0(ptex + i);
                cpu.gpr[5 + 2 * i] = hpt.pte1(ptex + i);
            }
        }
        return HcallStatus.H_SUCCESS;
    }
}
