package dev.pvm.engine.cpu.mmu;

import dev.pvm.engine.cpu.Msr;

/**
 * Hash-MMU address translation (Book III 5.7.5 to 5.7.13) for one access: SLB lookup, HPT search in the primary
 * and secondary PTE groups, storage protection (PP bits with the SLB's Ks/Kp key, N and G, the AMR/IAMR
 * virtual page class keys), then R/C recording. The order of checks and the interrupt reasons are QEMU's
 * ppc_hash64_handle_mmu_fault.
 */
final class HashTranslation {

    private final HashPageTable hpt;

    HashTranslation(HashPageTable hpt) {
        this.hpt = hpt;
    }

    HashPageTable table() {
        return hpt;
    }

    /**
     * Translates {@code ea}, caches the page in the vCPU's TLB and returns the real address; throws the fault.
     * Another vCPU's hcall may change the HPTE while this reads it: a pair that changed under the read, or an R/C
     * update that lost to a change, is looked up again.
     */
    long translate(VcpuMmu vcpu, long msr, long ea, AccessKind kind) {
        while (true) {
            long real = tryTranslate(vcpu, msr, ea, kind);
            if (real != RETRY) {
                return real;
            }
        }
    }

    /** What {@link #tryTranslate} answers when the HPTE changed under it. */
    private static final long RETRY = -1;

    private long tryTranslate(VcpuMmu vcpu, long msr, long ea, AccessKind kind) {
        Slb slb = vcpu.slb();
        int n = slb.lookup(ea);
        if (n < 0) {
            throw StorageFault.segment(kind, ea, "no SLB entry translates the address");
        }
        long vsidWord = slb.vsid(n);
        if (kind == AccessKind.FETCH && (vsidWord & Slb.VSID_N) != 0) {
            throw StorageFault.storage(kind, ea, StorageFault.NO_EXECUTE, "fetch from a no-execute segment");
        }
        HashPageSizes.SegmentPageSize segment = slb.pageSize(n);
        long ptex = search(ea, vsidWord, segment);
        if (ptex < 0) {
            throw StorageFault.storage(kind, ea, StorageFault.NOT_FOUND, "no HPTE for the page");
        }
        long pte0 = hpt.pte0(ptex);
        long pte1 = hpt.pte1(ptex);
        if (hpt.pte0(ptex) != pte0 || (pte0 & HashPageTable.V_VALID) == 0) {
            return RETRY;
        }

        int execute = (pte1 & (HashPageTable.R_N | HashPageTable.R_G)) != 0 ? SoftTlb.READ | SoftTlb.WRITE
                : SoftTlb.READ | SoftTlb.WRITE | SoftTlb.EXECUTE;
        int pp = ppPermissions(msr, vsidWord, pte1);
        int key = keyPermissions(vcpu, pte1);
        int permissions = execute & pp & key;
        int need = kind.permission();
        if ((need & ~permissions) != 0) {
            long bits = 0;
            if (kind == AccessKind.FETCH) {
                if ((SoftTlb.EXECUTE & ~execute) != 0) {
                    bits |= StorageFault.NO_EXECUTE;
                } else if ((SoftTlb.EXECUTE & ~pp) != 0) {
                    bits |= StorageFault.PROTECTION;
                }
            } else if ((need & ~pp) != 0) {
                bits |= StorageFault.PROTECTION;
            }
            if ((need & ~key) != 0) {
                bits |= StorageFault.KEY;
            }
            throw StorageFault.storage(kind, ea, bits, "the HPTE's protection forbids the access");
        }

        // Record the reference, and the change for a store (Book III 5.7.12); a page not yet changed is cached
        // read-only so that the first store comes back here to set C.
        long recorded = pte1 | HashPageTable.R_R | (kind == AccessKind.STORE ? HashPageTable.R_C : 0);
        if (recorded != pte1 && !hpt.compareAndSetPte1(ptex, pte1, recorded)) {
            return RETRY;
        }
        if ((recorded & HashPageTable.R_C) == 0) {
            permissions &= ~SoftTlb.WRITE;
        }
        int shift = HashPageSizes.pageShift(segment, pte0, pte1);
        long offsetMask = (1L << shift) - 1;
        long real = (pte1 & HashPageTable.R_RPN & ~offsetMask) | (ea & offsetMask);
        // Every HPTE has a key, so the AMR/IAMR bits of that key bear on every entry. The entry remembers its
        // HPTE: H_REMOVE and H_PROTECT of that HPTE drop it.
        vcpu.tlb().fill(ea, msr, real, permissions, SoftTlb.KEY_FIELD << keyShift(pte1), ptex);
        return real;
    }

    /** The HPTE index for {@code ea} in the segment of VSID doubleword {@code vsidWord}, or -1. */
    private long search(long ea, long vsidWord, HashPageSizes.SegmentPageSize segment) {
        int base = segment.baseShift();
        long epnMask = ~((1L << base) - 1);
        long hash;
        long epn;
        if ((vsidWord & Slb.VSID_B) == Slb.VSID_B_1T) {
            // 1 TB segment: hash = VSID xor VSID<<25 xor page index (Book III 5.7.7.4).
            long vsid = (vsidWord & Slb.VSID_VSID) >>> 24;
            epn = (ea & ~Slb.SEGMENT_1T) & epnMask;
            hash = vsid ^ (vsid << 25) ^ (epn >>> base);
        } else {
            long vsid = (vsidWord & Slb.VSID_VSID) >>> 12;
            epn = (ea & ~Slb.SEGMENT_256M) & epnMask;
            hash = vsid ^ (epn >>> base);
        }
        long ptem = (vsidWord & (Slb.VSID_B | Slb.VSID_VSID)) | ((epn >>> 16) & HashPageTable.V_AVPN)
                | HashPageTable.V_VALID;
        long ptex = hpt.searchGroup(hash, ptem, segment);
        return ptex >= 0 ? ptex : hpt.searchGroup(~hash, ptem | HashPageTable.V_SECONDARY, segment);
    }

    /** Basic storage protection (Book III 5.7.13.1): PP0||PP under key Kp (problem state) or Ks. */
    private static int ppPermissions(long msr, long vsidWord, long pte1) {
        boolean key = (vsidWord & ((msr & Msr.PR) != 0 ? Slb.VSID_KP : Slb.VSID_KS)) != 0;
        int pp = (int) ((pte1 & HashPageTable.R_PP) | ((pte1 & HashPageTable.R_PP0) >>> 61));
        int rwx = SoftTlb.READ | SoftTlb.WRITE | SoftTlb.EXECUTE;
        int rx = SoftTlb.READ | SoftTlb.EXECUTE;
        if (!key) {
            return switch (pp) {
                case 0, 1, 2 -> rwx;
                case 3, 6 -> rx;
                default -> 0;
            };
        }
        return switch (pp) {
            case 1, 3 -> rx;
            case 2 -> rwx;
            default -> 0;
        };
    }

    /** Virtual page class key protection (Book III 5.7.13.2): the AMR and IAMR bits of the HPTE's key. */
    /** Where the AMR and IAMR hold the bits of the HPTE's key (Book III 5.7.13: key k at bits 2k:2k+1). */
    private static int keyShift(long pte1) {
        int key = (int) (((pte1 & HashPageTable.R_KEY_HI) >>> 57) | ((pte1 & HashPageTable.R_KEY_LO) >>> 9));
        return 2 * (31 - key);
    }

    private static int keyPermissions(VcpuMmu vcpu, long pte1) {
        int shift = keyShift(pte1);
        int permissions = SoftTlb.READ | SoftTlb.WRITE | SoftTlb.EXECUTE;
        long amr = vcpu.amr() >>> shift;
        if ((amr & 2) != 0) {
            permissions &= ~SoftTlb.WRITE;
        }
        if ((amr & 1) != 0) {
            permissions &= ~SoftTlb.READ;
        }
        if (((vcpu.iamr() >>> shift) & 1) != 0) {
            permissions &= ~SoftTlb.EXECUTE;
        }
        return permissions;
    }
}
