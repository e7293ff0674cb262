package dev.pvm.engine.cpu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvm.engine.cpu.Msr;
import org.junit.jupiter.api.Test;

/** The softmmu TLB's flushes drop exactly the entries they name, also when only the listed entries are walked. */
class SoftTlbTest {

    private static final long SUPERVISOR = Msr.SF | Msr.DR | Msr.IR;
    private static final long PROBLEM = SUPERVISOR | Msr.PR;
    private static final int ALL = SoftTlb.READ | SoftTlb.WRITE | SoftTlb.EXECUTE;
    private static final long KERNEL = 0xc000_0000_0000_0000L;

    private final SoftTlb tlb = new SoftTlb();

    @Test
    void flushMatchingDropsOneQuadrantAndKeepsTheOther() {
        tlb.fill(KERNEL | 0x10000, SUPERVISOR, 0x10000, ALL, 0);
        tlb.fill(0x7fff_0000_3000L, PROBLEM, 0x5000, SoftTlb.READ, 0);
        tlb.flushMatching(KERNEL, KERNEL);
        assertEquals(-1, tlb.lookup(KERNEL | 0x10008, SUPERVISOR, AccessKind.LOAD));
        assertEquals(0x5010, tlb.lookup(0x7fff_0000_3010L, PROBLEM, AccessKind.LOAD));
        assertEquals(-1, tlb.lookup(0x7fff_0000_3010L, PROBLEM, AccessKind.STORE));
    }

    @Test
    void anEntryRefilledAfterAScanIsFoundByTheNextScan() {
        long ea = KERNEL | 0x2000;
        tlb.fill(ea, SUPERVISOR, 0x2000, ALL, 0);
        tlb.flushMatching(KERNEL, KERNEL);
        assertEquals(0, tlb.listedEntries());
        tlb.fill(ea, SUPERVISOR, 0x9000, ALL, 0);
        assertEquals(0x9004, tlb.lookup(ea + 4, SUPERVISOR, AccessKind.FETCH));
        tlb.flushMatching(KERNEL, KERNEL);
        assertEquals(-1, tlb.lookup(ea + 4, SUPERVISOR, AccessKind.FETCH));
    }

    @Test
    void entriesInvalidatedOneByOneLeaveTheListAtTheNextScan() {
        for (int page = 0; page < 8; page++) {
            tlb.fill(KERNEL | (long) page << SoftTlb.PAGE_SHIFT, SUPERVISOR, (long) page << SoftTlb.PAGE_SHIFT, ALL, 0);
        }
        tlb.flushRange(KERNEL, 4L << SoftTlb.PAGE_SHIFT);
        assertEquals(8, tlb.listedEntries());
        tlb.flushMatching(0, KERNEL);
        assertEquals(4, tlb.listedEntries());
        assertEquals(0x4000, tlb.lookup(KERNEL | 0x4000, SUPERVISOR, AccessKind.LOAD));
        assertEquals(-1, tlb.lookup(KERNEL | 0x3000, SUPERVISOR, AccessKind.LOAD));
    }

    @Test
    void aRangeLargerThanTheTlbDropsOnlyItsPages() {
        long gib = 1L << 30;
        tlb.fill(KERNEL | 0x1000, SUPERVISOR, 0x1000, ALL, 0);
        tlb.fill(KERNEL | gib | 0x1000, SUPERVISOR, 0x7000, ALL, 0);
        tlb.flushRange(KERNEL, gib);
        assertEquals(-1, tlb.lookup(KERNEL | 0x1000, SUPERVISOR, AccessKind.LOAD));
        assertEquals(0x7000, tlb.lookup(KERNEL | gib | 0x1000, SUPERVISOR, AccessKind.LOAD));
    }

    @Test
    void flushAllEmptiesBothHalves() {
        tlb.fill(KERNEL, SUPERVISOR, 0, ALL, 0);
        tlb.fill(0x1000, PROBLEM, 0x1000, ALL, 0);
        tlb.flushAll();
        assertEquals(-1, tlb.lookup(KERNEL, SUPERVISOR, AccessKind.LOAD));
        assertEquals(-1, tlb.lookup(0x1000, PROBLEM, AccessKind.LOAD));
        assertEquals(0, tlb.listedEntries());
        tlb.fill(0x1000, PROBLEM, 0x3000, SoftTlb.READ, 0);
        assertEquals(0x3000, tlb.lookup(0x1000, PROBLEM, AccessKind.LOAD));
    }

    @Test
    void aKeyChangeDropsOnlyTheEntriesOfTheKeysItChanged() {
        long key0 = SoftTlb.KEY_FIELD << 62;
        long key3 = SoftTlb.KEY_FIELD << 56;
        tlb.fill(0x1000, SUPERVISOR, 0x1000, SoftTlb.READ, key0);
        tlb.fill(KERNEL | 0x2000, SUPERVISOR, 0x2000, ALL, key3);
        tlb.fill(0x3000, SUPERVISOR, 0x3000, SoftTlb.READ, 0);
        tlb.flushKeyDependent(1L << 63);
        assertEquals(-1, tlb.lookup(0x1000, SUPERVISOR, AccessKind.LOAD));
        assertEquals(0x2000, tlb.lookup(KERNEL | 0x2000, SUPERVISOR, AccessKind.LOAD));
        assertEquals(0x3000, tlb.lookup(0x3000, SUPERVISOR, AccessKind.LOAD));
        tlb.flushKeyDependent(key3 & (key3 >>> 1));
        assertEquals(-1, tlb.lookup(KERNEL | 0x2000, SUPERVISOR, AccessKind.LOAD));
        assertEquals(0x3000, tlb.lookup(0x3000, SUPERVISOR, AccessKind.LOAD));
    }

    @Test
    void anHpteFlushDropsEveryPieceOfItsPageInBothHalvesAndNothingElse() {
        // A 64 KiB page from HPTE 40 cached at three of its 4 KiB pieces, one in problem state; HPTE 41 and a radix
        // entry (no HPTE) beside them; an entry of HPTE 40 overwritten by one of HPTE 41 in the same slot.
        tlb.fill(KERNEL | 0x10000, SUPERVISOR, 0x50000, ALL, 0, 40);
        tlb.fill(KERNEL | 0x1f000, SUPERVISOR, 0x5f000, ALL, 0, 40);
        tlb.fill(0x7000_0001_3000L, PROBLEM, 0x53000, SoftTlb.READ, 0, 40);
        tlb.fill(KERNEL | 0x20000, SUPERVISOR, 0x60000, ALL, 0, 41);
        tlb.fill(KERNEL | 0x30000, SUPERVISOR, 0x70000, ALL, 0);
        tlb.fill(KERNEL | 0x15000, SUPERVISOR, 0x55000, ALL, 0, 40);
        tlb.fill(KERNEL | 0x215000, SUPERVISOR, 0x85000, ALL, 0, 41);

        tlb.flushHpte(40);

        assertEquals(-1, tlb.lookup(KERNEL | 0x10008, SUPERVISOR, AccessKind.LOAD));
        assertEquals(-1, tlb.lookup(KERNEL | 0x1f000, SUPERVISOR, AccessKind.STORE));
        assertEquals(-1, tlb.lookup(0x7000_0001_3000L, PROBLEM, AccessKind.LOAD));
        assertEquals(0x60008, tlb.lookup(KERNEL | 0x20008, SUPERVISOR, AccessKind.LOAD));
        assertEquals(0x70000, tlb.lookup(KERNEL | 0x30000, SUPERVISOR, AccessKind.FETCH));
        assertEquals(0x85000, tlb.lookup(KERNEL | 0x215000, SUPERVISOR, AccessKind.LOAD));
        assertEquals(3, tlb.hpteEntriesDropped());
        assertEquals(3, tlb.listedEntries());
        tlb.flushHpte(41);
        assertEquals(-1, tlb.lookup(KERNEL | 0x215000, SUPERVISOR, AccessKind.LOAD));
        assertEquals(0x70000, tlb.lookup(KERNEL | 0x30000, SUPERVISOR, AccessKind.LOAD));
    }
}
