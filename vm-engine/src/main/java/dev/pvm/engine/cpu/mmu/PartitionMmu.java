package dev.pvm.engine.cpu.mmu;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.VcpuRequests;
import dev.pvm.engine.machine.MmuMode;
import dev.pvm.engine.memory.GuestMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The MMU state a PAPR partition shares between its vCPUs, kept by the hypervisor: for a hash partition the HPT
 * (sized by {@code ibm,pft-size}, zeroed at reset), for a radix partition the process table the guest registered
 * with H_REGISTER_PROC_TBL (QEMU's {@code patb_entry}) and whether it may broadcast tlbie (GTSE). Which of the two
 * a partition has is the VM's {@link MmuMode}: a hash VM keeps its HPT, a radix VM its process table.
 *
 * <p>It also knows every vCPU's {@link VcpuMmu}, so that the hcalls that change the HPT and a broadcast tlbie
 * can invalidate all their TLBs. Each vCPU runs on its own thread and only that thread touches its TLB: a
 * shootdown flushes the issuer's TLB at once and hands the flush to every other vCPU through its
 * {@link VcpuRequests} (QEMU's {@code tlb_flush_all_cpus_synced} does the same with async work items). Where the
 * architecture says the invalidation must be complete, the issuer waits for the other vCPUs to have flushed: at
 * the end of an hcall that changed the HPT (PAPR: the hypervisor's tlbie is done when the call returns), and at
 * the guest's tlbsync or ptesync after a broadcast tlbie (Book III 6.10.2: tlbie's invalidation is complete on
 * all processors only once the issuer's tlbsync-ptesync sequence completes).
 */
public final class PartitionMmu implements AutoCloseable {

    /** Partition table entry doubleword 1 (Book III 6.7.6.1): guest radix, process table base and size. */
    static final long PATE1_GR = 0x8000_0000_0000_0000L;
    static final long PATE1_PRTB = 0x0FFF_FFFF_FFFF_F000L;
    static final long PATE1_PRTS = 0x1FL;

    private final MmuMode mode;
    private final GuestMemory memory;
    private final HashPageSizes pageSizes;
    private final HashTranslation hash;
    private final RadixTranslation radix;
    private final List<VcpuMmu> vcpus = new ArrayList<>();
    /** What H_REGISTER_PROC_TBL last set, in QEMU's patb_entry encoding. */
    private long processTableEntry;
    private boolean processTableRegistered;
    private boolean gtse;

    /**
     * @param mode      hash or radix
     * @param memory    guest physical memory (radix tables are read from it)
     * @param hptShift  log2 of the HPT size in bytes (HptSizing); unused for radix
     * @param pageSizes the hash page sizes the partition advertises
     */
    public PartitionMmu(MmuMode mode, GuestMemory memory, int hptShift, HashPageSizes pageSizes) {
        this.mode = mode;
        this.memory = memory;
        this.pageSizes = pageSizes;
        this.hash = mode == MmuMode.HASH ? new HashTranslation(new HashPageTable(hptShift)) : null;
        this.radix = new RadixTranslation(memory);
        reset();
    }

    public MmuMode mode() {
        return mode;
    }

    public HashPageSizes pageSizes() {
        return pageSizes;
    }

    /** The HPT, or null in a radix partition. */
    public HashPageTable hashPageTable() {
        return hash == null ? null : hash.table();
    }

    GuestMemory memory() {
        return memory;
    }

    /** Gives {@code cpu} this partition's MMU, with an SLB of {@code slbEntries} entries. */
    public void attach(CpuState cpu, int slbEntries) {
        cpu.mmu.attach(this, slbEntries, cpu.requests);
        vcpus.add(cpu.mmu);
    }

    /** Machine reset: an empty HPT, no process table, every vCPU's SLB and TLB empty. */
    public void reset() {
        if (hash != null) {
            hash.table().clear();
        }
        // A radix partition is radix before the guest registers its table, as QEMU's after CAS chose radix.
        processTableEntry = mode == MmuMode.RADIX ? PATE1_GR : 0;
        processTableRegistered = false;
        gtse = false;
        vcpus.forEach(VcpuMmu::reset);
    }

    /** Translates a relocated access that missed the vCPU's TLB. */
    long translate(VcpuMmu vcpu, long msr, long ea, AccessKind kind) {
        if ((processTableEntry & PATE1_GR) != 0) {
            return radix.translate(vcpu, msr, ea, kind,
                    processTableRegistered ? processTableEntry & PATE1_PRTB : -1,
                    (int) (processTableEntry & PATE1_PRTS) + 12);
        }
        return hash.translate(vcpu, msr, ea, kind);
    }

    /** Whether translation is radix (the partition table entry's GR, LPCR[HR] for the guest). */
    public boolean radix() {
        return (processTableEntry & PATE1_GR) != 0;
    }

    /** Whether the guest may issue tlbie itself (LPCR[GTSE], granted by H_REGISTER_PROC_TBL). */
    public boolean guestTranslationShootdown() {
        return gtse;
    }

    /** The partition table entry doubleword 1 of the guest (QEMU's patb_entry). */
    public long processTableEntry() {
        return processTableEntry;
    }

    /** Whether that entry holds a registered process table. */
    public boolean hasProcessTable() {
        return processTableRegistered;
    }

    /**
     * What H_REGISTER_PROC_TBL decided: the new entry, whether a table is in it, and GTSE. Every vCPU's TLB is
     * flushed before the call returns to {@code issuer} (null: not from a vCPU).
     */
    public void registerProcessTable(VcpuMmu issuer, long entry, boolean registered, boolean shootdown) {
        processTableEntry = entry;
        processTableRegistered = registered;
        gtse = shootdown;
        flushAllTlbs(issuer);
    }

    /**
     * Invalidates every vCPU's TLB (the process table changed) and returns once all have: the hypervisor's tlbie
     * for an hcall issued by {@code issuer} (null when no vCPU issued it).
     */
    public void flushAllTlbs(VcpuMmu issuer) {
        flushTlbs(issuer, v -> v.tlb.flushAll());
    }

    /**
     * Invalidates, in every vCPU's TLB, the translations HPTEs {@code hptes} gave (an HPT hcall removed or changed
     * them), and returns once all have.
     */
    public void flushHptes(VcpuMmu issuer, long... hptes) {
        if (hptes.length == 0) {
            return;
        }
        flushTlbs(issuer, v -> {
            for (long ptex : hptes) {
                v.tlb.flushHpte(ptex);
            }
        });
    }

    private void flushTlbs(VcpuMmu issuer, Consumer<VcpuMmu> flush) {
        if (issuer != null) {
            shootdown(issuer, flush, issuer.outstanding());
            issuer.completeShootdowns();
        } else {
            List<VcpuMmu.Outstanding> posted = new ArrayList<>();
            shootdown(null, flush, posted);
            posted.forEach(o -> o.target().awaitCompleted(o.ticket(), null));
        }
    }

    /**
     * Applies {@code flush} to every vCPU's TLB: the issuer's now, on the calling thread, the others' on their own
     * threads, as requests added to {@code posted} for the issuer to wait for ({@link VcpuMmu#completeShootdowns}).
     */
    void shootdown(VcpuMmu issuer, Consumer<VcpuMmu> flush, List<VcpuMmu.Outstanding> posted) {
        for (VcpuMmu v : vcpus) {
            if (v == issuer) {
                flush.accept(v);
            } else {
                posted.add(new VcpuMmu.Outstanding(v.requests(), v.requests().post(() -> flush.accept(v))));
            }
        }
    }

    @Override
    public void close() {
        if (hash != null) {
            hash.table().close();
        }
    }
}
