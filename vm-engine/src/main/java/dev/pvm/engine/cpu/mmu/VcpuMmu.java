package dev.pvm.engine.cpu.mmu;

import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.Spr;
import dev.pvm.engine.cpu.VcpuRequests;
import dev.pvm.engine.cpu.interp.GuestInterruptSignal;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One vCPU's MMU state: its softmmu {@link SoftTlb}, its {@link Slb}, and the registers translation reads (PIDR,
 * and the AMR/IAMR/UAMOR of storage protection, Book III 5.7.13 and 6.7.12); plus the operations of the SLB and
 * TLB management instructions. Without a partition (Linux user mode, bare CPU tests) relocated accesses fault.
 *
 * <p>Every invalidation here is exact in what it keeps: the TLB caches translations under the current PIDR only
 * (a PIDR write drops quadrant 0), per privilege (no flush on MSR[PR] changes), and entries whose permissions
 * came from the AMR/IAMR are dropped when those change.
 */
public final class VcpuMmu {

    /** The SLB size until a partition is attached ({@code ibm,slb-size} of POWER9). */
    private static final int DEFAULT_SLB_ENTRIES = 32;
    /** Effective-address quadrant bits 0:1 (radix). */
    private static final long QUADRANT = 0xC000_0000_0000_0000L;
    private static final GuestInterrupt PRIVILEGED =
            new GuestInterrupt.Program(GuestInterrupt.ProgramReason.PRIVILEGED_INSTRUCTION, "");
    private static final List<Integer> REGISTERS = List.of(Spr.PIDR, Spr.LPIDR, Spr.UAMR, Spr.AMR, Spr.IAMR,
            Spr.UAMOR);

    /** Read by translated code's inline path (TranslatorRuntime). */
    public final SoftTlb tlb = new SoftTlb();
    private Slb slb = new Slb(DEFAULT_SLB_ENTRIES);
    private PartitionMmu partition;
    /** How other vCPUs reach this one's thread (shootdowns); null without a partition. */
    private VcpuRequests requests;
    /** Shootdowns this vCPU broadcast that other vCPUs may not have performed yet. */
    private final List<Outstanding> outstanding = new ArrayList<>();
    private long pidr;
    private long amr;
    private long iamr;
    private long uamor;

    /** A flush posted to another vCPU, by the ticket its request queue gave it. */
    record Outstanding(VcpuRequests target, long ticket) {
    }

    void attach(PartitionMmu partition, int slbEntries, VcpuRequests requests) {
        this.partition = partition;
        this.requests = requests;
        this.slb = new Slb(slbEntries);
        reset();
    }

    /** The vCPU's reset: empty SLB and TLB, PIDR and the key registers 0. */
    public void reset() {
        slb.reset();
        tlb.flushAll();
        outstanding.clear();
        pidr = 0;
        amr = 0;
        iamr = 0;
        uamor = 0;
    }

    public PartitionMmu partition() {
        return partition;
    }

    VcpuRequests requests() {
        return requests;
    }

    List<Outstanding> outstanding() {
        return outstanding;
    }

    /**
     * Waits until every other vCPU has performed the TLB invalidations this one broadcast (tlbie, or an hcall's):
     * what tlbsync and ptesync order (Book III 6.10.2), and the end of an HPT hcall. While waiting it serves its
     * own requests, so two vCPUs shooting down each other's TLBs at once both proceed.
     */
    public void completeShootdowns() {
        if (outstanding.isEmpty()) {
            return;
        }
        for (Outstanding o : outstanding) {
            o.target().awaitCompleted(o.ticket(), requests);
        }
        outstanding.clear();
    }

    public SoftTlb tlb() {
        return tlb;
    }

    public Slb slb() {
        return slb;
    }

    public long pidr() {
        return pidr;
    }

    public long amr() {
        return amr;
    }

    public long iamr() {
        return iamr;
    }

    /**
     * The real address of a relocated {@code kind} access at {@code ea}: from the TLB, else through the
     * partition's translation (which fills the TLB).
     *
     * @throws GuestInterruptSignal with the segment or storage interrupt the access takes
     */
    public long translate(long msr, long ea, AccessKind kind) {
        long real = tlb.lookup(ea, msr, kind);
        if (real >= 0) {
            return real;
        }
        if (partition == null) {
            throw StorageFault.storage(kind, ea, StorageFault.NOT_FOUND, "relocation is on, and this CPU has no MMU");
        }
        return partition.translate(this, msr, ea, kind);
    }

    // ------------------------------------------------------------------ SLB management (Book III 5.9.3.1)

    /** slbmte: false when the operands are invalid (an illegal-instruction program interrupt). */
    public boolean slbmte(long rs, long rb) {
        int slot = (int) (rb & 0xfff);
        boolean wasValid = slot < slb.size() && slb.valid(slot);
        long oldEsid = wasValid ? slb.esid(slot) : 0;
        long oldMask = wasValid ? slb.segmentMask(slot) : 0;
        HashPageSizes sizes = partition != null ? partition.pageSizes() : HashPageSizes.power9();
        if (!slb.store(slot, rb & ~0xfffL, rs, sizes)) {
            return false;
        }
        // Translations through the entry this one replaces must go (QEMU keeps them until slbia; we are exact).
        if (wasValid) {
            tlb.flushMatching(oldEsid, oldMask);
        }
        return true;
    }

    /** slbie: invalidates the entry translating the ESID in RB, and the TLB entries of its segment. */
    public void slbie(long rb) {
        int n = slb.lookup(rb);
        if (n >= 0) {
            tlb.flushMatching(slb.esid(n), slb.segmentMask(n));
            slb.invalidate(n);
        }
    }

    /**
     * slbia IH (ISA v3.0 IH values, as QEMU's helper_SLBIA): 7 invalidates no entry, only lookaside information;
     * 3 and 4 include entry 0, 3 keeping entries of class 0; 0, 1, 2, 5 and 6 invalidate all but entry 0. IH=3
     * invalidates the lookaside information of the class-1 entries only (Book III 5.9.3.1), so the TLB keeps the
     * other segments' translations: Linux issues it on every context switch (switch_slb) to drop the user
     * segments. Every other IH flushes the whole TLB.
     */
    public void slbia(int ih) {
        if (ih != 3) {
            tlb.flushAll();
        }
        if (ih == 7) {
            return;
        }
        int first = ih == 3 || ih == 4 ? 0 : 1;
        for (int n = first; n < slb.size(); n++) {
            if (slb.valid(n) && !(ih == 3 && (slb.vsid(n) & Slb.VSID_C) == 0)) {
                if (ih == 3) {
                    // The TLB holds translations of valid SLB entries' segments only: slbmte and slbie drop
                    // those of the entries they replace or remove.
                    tlb.flushMatching(slb.esid(n), slb.segmentMask(n));
                }
                slb.invalidate(n);
            }
        }
    }

    /** slbmfee/slbmfev: entry RB[52:63]'s ESID or VSID doubleword; -1 slot for an invalid index. */
    public boolean validSlot(long rb) {
        return (rb & 0xfff) < slb.size();
    }

    public long slbmfee(long rb) {
        return slb.esid((int) (rb & 0xfff));
    }

    public long slbmfev(long rb) {
        return slb.vsid((int) (rb & 0xfff));
    }

    /** slbfee.: the VSID doubleword of the entry translating {@code ea}, or -1 when none does. */
    public long slbfee(long ea) {
        int n = slb.lookup(ea);
        return n < 0 ? -1 : slb.vsid(n);
    }

    // --------------------------------------------------------------- TLB management (Book III 5.9.3.3, 6.10)

    /**
     * tlbie / tlbiel RB,RS,RIC,PRS,R for a guest (MSR[HV]=0). As in QEMU's do_tlbie, the guest may broadcast
     * only with GTSE, and partition-scoped invalidation (PRS=0) in a radix partition is the hypervisor's: both
     * are privileged-instruction program interrupts.
     *
     * <p>What is flushed follows the operands exactly for radix (R=1): RIC=1 names only the page walk cache,
     * which this MMU does not have; IS=0 one page of the AP size for the PID in RS, IS=1 all of that PID, IS=2
     * and 3 everything. A hash invalidation (R=0) names a virtual address, which the EA-tagged TLB cannot find,
     * so it flushes everything.
     *
     * @throws GuestInterruptSignal for the privileged cases
     */
    public void tlbie(long rb, long rs, int ric, boolean prs, boolean radix, boolean local) {
        if (partition != null && ((!local && !partition.guestTranslationShootdown()) || (!prs && partition.radix()))) {
            throw new GuestInterruptSignal(PRIVILEGED);
        }
        Consumer<VcpuMmu> flush = invalidation(rb, rs, ric, radix);
        if (flush == null) {
            return;
        }
        if (local || partition == null) {
            flush.accept(this);
        } else {
            // Broadcast: every vCPU's TLB, the others' on their own threads; tlbsync/ptesync wait for them.
            partition.shootdown(this, flush, outstanding);
        }
    }

    /** What tlbie's operands invalidate in one vCPU's TLB, or null for nothing (RIC=1: the page walk cache). */
    private static Consumer<VcpuMmu> invalidation(long rb, long rs, int ric, boolean radix) {
        if (!radix) {
            return v -> v.tlb.flushAll();
        }
        if (ric == 1) {
            return null;
        }
        int is = (int) ((rb >>> 10) & 3);
        long pid = rs >>> 32;
        return switch (is) {
            case 0 -> {
                long size = radixPageSize((int) ((rb >>> 5) & 7));
                long ea = rb & ~(size - 1);
                yield v -> {
                    if (size == 0) {
                        v.tlb.flushAll();
                    } else if (v.pidOf(ea) == pid) {
                        v.tlb.flushRange(ea, size);
                    }
                };
            }
            case 1 -> v -> v.flushPid(pid);
            default -> v -> v.tlb.flushAll();
        };
    }

    /** The PID the radix walk used for {@code ea}'s quadrant (0 for the kernel's quadrant 3). */
    private long pidOf(long ea) {
        return (ea & QUADRANT) == 0 ? pidr : 0;
    }

    private void flushPid(long pid) {
        if (pid == 0) {
            tlb.flushMatching(QUADRANT, QUADRANT);
        }
        if (pid == pidr) {
            tlb.flushMatching(0, QUADRANT);
        }
    }

    /**
     * Bytes of a radix page by tlbie's AP field ({@code ibm,processor-radix-AP-encodings}: 0 = 4K, 5 = 64K,
     * 1 = 2M, 2 = 1G), or 0 for an encoding the processor does not have.
     */
    static long radixPageSize(int ap) {
        return switch (ap) {
            case 0 -> 1L << 12;
            case 5 -> 1L << 16;
            case 1 -> 1L << 21;
            case 2 -> 1L << 30;
            default -> 0;
        };
    }

    // ----------------------------------------------------------------------------- the MMU's registers

    /** Whether {@code spr} is one of the registers this class keeps. */
    public static boolean holds(int spr) {
        return REGISTERS.contains(spr);
    }

    /**
     * mfspr of one of the registers this class keeps. LPIDR is the hypervisor's (QEMU: no supervisor access): a
     * guest reading it takes a privileged-instruction program interrupt.
     */
    public long read(int spr) {
        return switch (spr) {
            case Spr.PIDR -> pidr;
            case Spr.UAMR, Spr.AMR -> amr;
            case Spr.IAMR -> iamr;
            case Spr.UAMOR -> uamor;
            default -> throw new GuestInterruptSignal(PRIVILEGED);
        };
    }

    /**
     * mtspr of one of the registers this class keeps. In problem state the AMR changes only where UAMOR allows
     * (Book III 5.7.13.2; QEMU spr_write_amr); in supervisor state the AMOR the hypervisor grants a PAPR guest is all
     * ones, so AMR, IAMR and UAMOR take the value whole.
     */
    public void write(long msr, int spr, long value) {
        switch (spr) {
            case Spr.PIDR -> {
                long pid = value & 0xFFFF_FFFFL;
                if (pid != pidr) {
                    pidr = pid;
                    tlb.flushMatching(0, QUADRANT);
                }
            }
            case Spr.UAMR, Spr.AMR -> {
                long mask = (msr & Msr.PR) != 0 ? uamor : -1L;
                long next = (amr & ~mask) | (value & mask);
                if (next != amr) {
                    long changed = next ^ amr;
                    amr = next;
                    tlb.flushKeyDependent(changed);
                }
            }
            case Spr.IAMR -> {
                if (value != iamr) {
                    long changed = value ^ iamr;
                    iamr = value;
                    tlb.flushKeyDependent(changed);
                }
            }
            case Spr.UAMOR -> uamor = value;
            default -> throw new GuestInterruptSignal(PRIVILEGED);
        }
    }
}
