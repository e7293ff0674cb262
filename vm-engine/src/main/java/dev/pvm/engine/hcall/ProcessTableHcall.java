package dev.pvm.engine.hcall;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.mmu.PartitionMmu;
import dev.pvm.engine.machine.MmuMode;

/**
 * H_REGISTER_PROC_TBL(flags, base, page size, table size) (LoPAPR 14.5.4.x, ISA v3.00 guests): the guest says
 * which MMU it uses, registers its radix process table and asks for GTSE (its own tlbie). Argument checks and the
 * resulting partition table entry are QEMU's h_register_process_table; the hcall is not in
 * {@code ibm,hypertas-functions} (QEMU advertises the MMU choices in ibm,arch-vec-5-platform-support).
 *
 * <p>Our partitions are hash or radix by the VM's spec rather than by what the guest picks: registering the other
 * kind (a radix table in a hash VM, a hash table in a radix VM) is refused with H_PARAMETER, which is also what
 * QEMU answers when a guest keeps a registration of the wrong kind.
 */
public final class ProcessTableHcall {

    public static final long H_REGISTER_PROC_TBL = 0x37c;

    static final long FLAGS_MASK = 0x1f;
    static final long FLAG_MODIFY = 0x10;
    static final long FLAG_REGISTER = 0x08;
    static final long FLAG_RADIX = 0x04;
    static final long FLAG_HASH_PROC_TBL = 0x02;
    static final long FLAG_GTSE = 0x01;
    private static final long PATE1_GR = 0x8000_0000_0000_0000L;

    private final PartitionMmu mmu;

    private ProcessTableHcall(PartitionMmu mmu) {
        this.mmu = mmu;
    }

    public static void register(HcallTable table, PartitionMmu mmu) {
        table.register(H_REGISTER_PROC_TBL, "H_REGISTER_PROC_TBL", null, new ProcessTableHcall(mmu)::handle);
    }

    private HcallStatus handle(CpuState cpu) {
        long flags = cpu.gpr[4];
        long table = cpu.gpr[5];
        long pageSize = cpu.gpr[6];
        long tableSize = cpu.gpr[7];
        if ((flags & ~FLAGS_MASK) != 0) {
            return HcallStatus.H_PARAMETER;
        }
        boolean radix = (flags & FLAG_RADIX) != 0;
        long current = mmu.processTableEntry();
        long entry;
        boolean registered = false;
        if ((flags & FLAG_MODIFY) != 0) {
            if ((flags & FLAG_REGISTER) != 0) {
                if (radix) {
                    if ((table & 0xfff) != 0 || table >>> 60 != 0) {
                        return HcallStatus.H_P2;
                    } else if (pageSize != 0) {
                        return HcallStatus.H_P3;
                    } else if (Long.compareUnsigned(tableSize, 24) > 0) {
                        return HcallStatus.H_P4;
                    }
                    entry = PATE1_GR | table | tableSize;
                    registered = true;
                } else if ((flags & FLAG_HASH_PROC_TBL) != 0) {
                    // Hash with segment tables: not implemented by QEMU either.
                    return HcallStatus.H_PARAMETER;
                } else {
                    if (table >>> 38 != 0) {
                        return HcallStatus.H_P2;
                    } else if ((pageSize & ~0x7L) != 0) {
                        return HcallStatus.H_P3;
                    } else if (Long.compareUnsigned(tableSize, 24) > 0) {
                        return HcallStatus.H_P4;
                    }
                    entry = (table << 25) | pageSize << 5 | tableSize;
                }
            } else {
                // Deregistration leaves the current kind with no table (QEMU: "a benign value").
                entry = current & PATE1_GR;
            }
        } else {
            if (!radix != ((current & PATE1_GR) == 0)) {
                return HcallStatus.H_PARAMETER;
            }
            entry = current;
            registered = mmu.hasProcessTable();
        }
        boolean wantsRadix = (entry & PATE1_GR) != 0;
        if (wantsRadix != (mmu.mode() == MmuMode.RADIX)) {
            return HcallStatus.H_PARAMETER;
        }
        mmu.registerProcessTable(cpu.mmu, entry, registered, (flags & FLAG_GTSE) != 0);
        return HcallStatus.H_SUCCESS;
    }
}
