package dev.pvm.engine.cpu.mmu;

import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.memory.GuestMemory;
import java.nio.ByteOrder;

/**
 * Radix translation for a PAPR guest (Book III 6.7.10, v3.0B): the partition-scoped step is the identity (guest
 * real = engine physical, as QEMU's pseries with a virtual hypervisor), so an access walks the process-scoped tree
 * only: the quadrant picks the PID (0 for EA 0x0..., PIDR; 3 for 0xc..., PID 0; 1 and 2 are not the guest's), the
 * process table entry gives the root (RTS, RPDB, RPDS), and up to four levels lead to a leaf PTE whose EAA,
 * ATT and R/C bits decide the access. Tables are big-endian in guest memory.
 *
 * <p>Checks and reasons follow QEMU 7.2's mmu-radix64.c, including the POWER9 tree shapes it accepts (root of
 * 2^13 entries for a 52-bit space, then 9, 9 and 9 or 5 bits: pages of 1G, 2M, 4K or 64K) and its handling of R/C:
 * an access that would have to set R (or C for a store) takes a storage interrupt with
 * {@link StorageFault#RADIX_REFERENCE_CHANGE}, leaving the update to the OS, as POWER9 does for guests.
 */
final class RadixTranslation {

    /** Process table entry doubleword 0 (Book III 6.7.6.2). */
    private static final long PRTBE_RPDB = 0x0FFF_FFFF_FFFF_FF00L;
    private static final long PRTBE_RPDS = 0x1FL;
    /** Page directory and table entries (Book III 6.7.10.1). */
    static final long PTE_VALID = 0x8000_0000_0000_0000L;
    static final long PTE_LEAF = 0x4000_0000_0000_0000L;
    static final long PDE_NLB = 0x0FFF_FFFF_FFFF_FF00L;
    static final long PDE_NLS = 0x1FL;
    static final long PTE_RPN = 0x01FF_FFFF_FFFF_F000L;
    static final long PTE_R = 0x100L;
    static final long PTE_C = 0x80L;
    static final long PTE_ATT = 0x30L;
    static final long PTE_ATT_NONIDEMPOTENT_IO = 0x20L;
    static final long PTE_EAA_PRIVILEGED = 0x8L;
    static final long PTE_EAA_READ = 0x4L;
    static final long PTE_EAA_READ_WRITE = 0x2L;
    static final long PTE_EAA_EXECUTE = 0x1L;
    /** Quadrant bits 0:1 of the effective address; the walk sees the address without them. */
    private static final long EA_MASK = 0x3FFF_FFFF_FFFF_FFFFL;

    private final GuestMemory memory;

    RadixTranslation(GuestMemory memory) {
        this.memory = memory;
    }

    /**
     * Translates {@code ea} through the process table at {@code tableBase} of 2^{@code tableShift} bytes, caches
     * the page and returns the real address; throws the interrupt a failure raises.
     */
    long translate(VcpuMmu vcpu, long msr, long ea, AccessKind kind, long tableBase, int tableShift) {
        long pid = switch ((int) (ea >>> 62)) {
            case 0 -> vcpu.pidr();
            case 3 -> 0;
            // Quadrants 1 and 2 are the hypervisor's view of guest addresses: a guest's access there has no segment.
            default -> -1;
        };
        if (pid < 0) {
            throw StorageFault.segment(kind, ea, "radix quadrant " + (ea >>> 62) + " is not the guest's");
        }
        long offset = pid * 16;
        if (tableBase < 0 || offset >= 1L << tableShift) {
            throw StorageFault.storage(kind, ea, StorageFault.NOT_FOUND, tableBase < 0
                    ? "no process table registered" : "PID " + pid + " is beyond the process table");
        }
        long prtbe0 = memory.load64(tableBase + offset, ByteOrder.BIG_ENDIAN);
        int size = (int) ((((prtbe0 >>> 58) & 0x18) | ((prtbe0 >>> 5) & 0x7)) + 31);
        long base = prtbe0 & PRTBE_RPDB;
        long nls = prtbe0 & PRTBE_RPDS;
        long address = ea & EA_MASK;

        long entryAddress = base + index(address, size, nls) * 8;
        long entry;
        int level = 0;
        while (true) {
            if (!validLevel(level++, size, nls)) {
                throw StorageFault.storage(kind, ea, StorageFault.RADIX_BAD_CONFIG,
                        "unsupported radix tree shape at level " + (level - 1));
            }
            entry = memory.load64(entryAddress, ByteOrder.BIG_ENDIAN);
            if ((entry & PTE_VALID) == 0) {
                throw StorageFault.storage(kind, ea, StorageFault.NOT_FOUND, "invalid radix entry at level "
                        + (level - 1));
            }
            size -= (int) nls;
            if ((entry & PTE_LEAF) != 0) {
                break;
            }
            nls = entry & PDE_NLS;
            // A misaligned next-level base is rounded down, as QEMU does.
            long next = (entry & PDE_NLB) & ~((1L << (nls + 3)) - 1);
            entryAddress = next + index(address, size, nls) * 8;
        }

        int permissions = permissions(vcpu, msr, entry, kind, ea);
        boolean needsChange = kind == AccessKind.STORE && (entry & PTE_C) == 0;
        if ((entry & PTE_R) == 0 || needsChange) {
            throw StorageFault.storage(kind, ea, StorageFault.RADIX_REFERENCE_CHANGE,
                    "the PTE's R/C bits are not set for this access");
        }
        if ((entry & PTE_C) == 0) {
            permissions &= ~SoftTlb.WRITE;
        }
        long offsetMask = (1L << size) - 1;
        long real = (entry & PTE_RPN & ~offsetMask) | (address & offsetMask);
        // The supervisor's access to a user page depends on key 0's AMR/IAMR bits (KUAP, as permissions reads).
        boolean keyDependent = (msr & Msr.PR) == 0 && (entry & PTE_EAA_PRIVILEGED) == 0;
        vcpu.tlb().fill(ea, msr, real, permissions, keyDependent ? SoftTlb.KEY_FIELD << 62 : 0);
        return real;
    }

    private static long index(long address, int size, long nls) {
        return (address >>> (size - nls)) & ((1L << nls) - 1);
    }

    /** POWER9's supported tree shapes (QEMU ppc_radix64_is_valid_level). */
    private static boolean validLevel(int level, int size, long nls) {
        return switch (level) {
            case 0 -> size == 52 && nls == 13;
            case 1, 2 -> nls == 9;
            case 3 -> nls == 9 || nls == 5;
            default -> false;
        };
    }

    /**
     * The permissions of a leaf (Book III 6.7.10.2): none for a privileged page in problem state; the EAA bits
     * otherwise, narrowed by key 0 of the AMR/IAMR when the kernel touches a user page (Linux's KUAP/KUEP);
     * a fetch from non-idempotent I/O is a guarded fetch. Throws the storage interrupt when {@code kind} is not
     * permitted.
     */
    private static int permissions(VcpuMmu vcpu, long msr, long pte, AccessKind kind, long ea) {
        if ((pte & PTE_ATT) == PTE_ATT_NONIDEMPOTENT_IO && kind == AccessKind.FETCH) {
            throw StorageFault.storage(kind, ea, StorageFault.NO_EXECUTE, "fetch from non-idempotent I/O");
        }
        boolean problem = (msr & Msr.PR) != 0;
        boolean privileged = (pte & PTE_EAA_PRIVILEGED) != 0;
        int permissions;
        if (privileged && problem) {
            permissions = 0;
        } else {
            permissions = ((pte & (PTE_EAA_READ | PTE_EAA_READ_WRITE)) != 0 ? SoftTlb.READ : 0)
                    | ((pte & PTE_EAA_READ_WRITE) != 0 ? SoftTlb.WRITE : 0)
                    | ((pte & PTE_EAA_EXECUTE) != 0 ? SoftTlb.EXECUTE : 0);
            if (!problem && !privileged) {
                long amr = vcpu.amr() >>> 62;
                long iamr = vcpu.iamr() >>> 62;
                permissions &= ((amr & 2) != 0 ? 0 : SoftTlb.WRITE) | ((amr & 1) != 0 ? 0 : SoftTlb.READ)
                        | ((iamr & 1) != 0 ? 0 : SoftTlb.EXECUTE);
            }
        }
        if ((kind.permission() & ~permissions) != 0) {
            throw StorageFault.storage(kind, ea, StorageFault.PROTECTION, "the PTE's access authority forbids it");
        }
        return permissions;
    }
}
