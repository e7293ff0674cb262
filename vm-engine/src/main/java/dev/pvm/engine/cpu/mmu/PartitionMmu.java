package dev.pvm.engine.cpu.mmu;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.machine.MmuMode;
import dev.pvm.engine.memory.GuestMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * The MMU state a PAPR partition shares between its vCPUs, kept by the hypervisor: for a hash partition the HPT
 * (sized by {@code ibm,pft-size}, zeroed at reset), for a radix partition the process table the guest registered
 * with H_REGISTER_PROC_TBL (QEMU's {@code patb_entry}) and whether it may broadcast tlbie (GTSE). Which of the two
 * a partition has is the VM's {@link MmuMode}: a hash VM keeps its HPT, a radix VM its process table.
 *
 * <p>It also knows every vCPU's {@link VcpuMmu}, so that the hcalls that change the HPT and a broadcast tlbie
 * can invalidate all their TLBs. Flushes act on the other vCPUs directly: correct while one thread runs all vCPUs
 * (the machine runs only the boot vCPU); vCPUs on their own threads will need the flush handed to their thread.
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
        cpu.mmu.attach(this, slbEntries);
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

    /** What H_REGISTER_PROC_TBL decided: the new entry, whether a table is in it, and GTSE. */
    public void registerProcessTable(long entry, boolean registered, boolean shootdown) {
        processTableEntry = entry;
        processTableRegistered = registered;
        gtse = shootdown;
        flushAllTlbs();
    }

    /** Invalidates every vCPU's TLB (the HPT changed, or a broadcast invalidation of everything). */
    public void flushAllTlbs() {
        for (VcpuMmu v : vcpus) {
            v.tlb.flushAll();
        }
    }

    /** Every vCPU's MMU: the targets of a broadcast tlbie. */
    List<VcpuMmu> vcpus() {
        return vcpus;
    }

    @Override
    public void close() {
        if (hash != null) {
            hash.table().close();
        }
    }
}
