package dev.pvm.engine.cpu.mmu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.Spr;
import dev.pvm.engine.cpu.interp.GuestInterruptSignal;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.hcall.HashPageTableHcalls;
import dev.pvm.engine.hcall.HcallStatus;
import dev.pvm.engine.hcall.HcallTable;
import dev.pvm.engine.machine.MmuMode;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.RamRegion;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hash MMU as a PAPR guest drives it: SLB entries by slbmte, HPTEs by H_ENTER (the guest computes the hash
 * as Linux's hpte_insert does), then translations, faults and the other HPT hcalls. Expected values follow Book III
 * 5.7 and QEMU's spapr_softmmu.c.
 */
class HashMmuTest {

    private static final long KERNEL = Msr.SF | Msr.DR | Msr.IR;
    private static final long USER = KERNEL | Msr.PR;
    /** VSID of the test segment; ESID 0xc00000000 (the kernel's linear map). */
    private static final long VSID = 0x12_3456;
    private static final long EA = 0xC000_0000_0123_4000L;

    private final AddressSpace memory = new AddressSpace(List.of(RamRegion.allocate(0, 64L << 20)));
    private final PartitionMmu mmu = new PartitionMmu(MmuMode.HASH, memory, 18, HashPageSizes.power9());
    private final HcallTable hcalls = new HcallTable();
    private final CpuState cpu = new CpuState(0);

    HashMmuTest() {
        mmu.attach(cpu, 32);
        HashPageTableHcalls.register(hcalls, mmu, memory);
    }

    @AfterEach
    void close() {
        mmu.close();
        memory.close();
    }

    private HcallStatus hcall(long number, long... args) {
        cpu.gpr[3] = number;
        for (int i = 0; i < args.length; i++) {
            cpu.gpr[4 + i] = args[i];
        }
        hcalls.hypercall(cpu);
        for (HcallStatus s : HcallStatus.values()) {
            if (s.code() == cpu.gpr[3]) {
                return s;
            }
        }
        throw new AssertionError("unknown status " + cpu.gpr[3]);
    }

    /** slbmte of a 256M segment at EA's ESID with {@code flags} (Ks/Kp/N/LLP) in slot {@code slot}. */
    private void segment(int slot, long ea, long vsid, long flags) {
        assertThat(cpu.mmu.slbmte((vsid << 12) | flags, (ea & Slb.SEGMENT_256M) | Slb.ESID_VALID | slot)).isTrue();
    }

    /** The primary hash of a 256M-segment page (Book III 5.7.7.4). */
    private static long hash(long vsid, long ea, int baseShift) {
        return vsid ^ ((ea & 0x0FFF_FFFFL) >>> baseShift);
    }

    /** pte0 for a page of a 256M segment: AVPN = VSID || EA bits 36:40, plus L, H and V. */
    private static long pte0(long vsid, long ea, boolean large, boolean secondary) {
        return (vsid << 12) | (((ea & 0x0FFF_FFFFL) >>> 23) << 7) | (large ? 4 : 0) | (secondary ? 2 : 0) | 1;
    }

    private long enter(long ptex, long pte0, long pte1) {
        assertThat(hcall(HashPageTableHcalls.H_ENTER, 0, ptex, pte0, pte1)).isEqualTo(HcallStatus.H_SUCCESS);
        return cpu.gpr[4];
    }

    private long group(long hash) {
        return (hash & mmu.hashPageTable().groupMask()) * 8;
    }

    private static GuestInterrupt fault(Runnable access) {
        try {
            access.run();
        } catch (GuestInterruptSignal s) {
            return s.interrupt();
        }
        throw new AssertionError("no interrupt");
    }

    @Test
    void translatesAFourKilobytePageThroughThePrimaryGroupAndRecordsReferenceAndChange() {
        segment(0, EA, VSID, Slb.VSID_KP);
        long ptex = enter(group(hash(VSID, EA, 12)), pte0(VSID, EA, false, false),
                0x0050_0000L | HashPageTable.R_M | 2);

        assertThat(cpu.mmu.translate(KERNEL, EA + 0x123, AccessKind.LOAD)).isEqualTo(0x0050_0123L);
        assertThat(mmu.hashPageTable().pte1(ptex) & (HashPageTable.R_R | HashPageTable.R_C))
                .isEqualTo(HashPageTable.R_R);
        assertThat(cpu.mmu.translate(KERNEL, EA + 8, AccessKind.STORE)).isEqualTo(0x0050_0008L);
        assertThat(mmu.hashPageTable().pte1(ptex) & HashPageTable.R_C).isEqualTo(HashPageTable.R_C);
    }

    @Test
    void searchesTheSecondaryGroupWithTheComplementedHash() {
        segment(3, EA, VSID, 0);
        long secondary = group(~hash(VSID, EA, 12));
        enter(secondary, pte0(VSID, EA, false, true), 0x0077_0000L | HashPageTable.R_M | 2);
        assertThat(cpu.mmu.translate(KERNEL, EA, AccessKind.LOAD)).isEqualTo(0x0077_0000L);
        // The same HPTE without H does not match in the secondary group.
        hcall(HashPageTableHcalls.H_REMOVE, 0, secondary, 0);
        enter(secondary, pte0(VSID, EA, false, false), 0x0077_0000L | HashPageTable.R_M | 2);
        assertThat(fault(() -> cpu.mmu.translate(KERNEL, EA, AccessKind.LOAD)))
                .isEqualTo(new GuestInterrupt.DataStorage(EA, StorageFault.NOT_FOUND, "no HPTE for the page"));
    }

    @Test
    void largePagesInTheirSegmentsAndInAFourKilobyteSegment() {
        long ea64k = 0xC000_0001_0023_4567L;
        long ea16m = 0xC000_0002_0123_4567L;
        long ea16mIn4k = 0xC000_0003_0123_4567L;
        segment(0, ea64k, 0x64, 0x110);
        segment(1, ea16m, 0x16, 0x100);
        segment(2, ea16mIn4k, 0x4, 0);
        // 64K page: L=1, LP (RPN bits 12:15) = 0001.
        enter(group(hash(0x64, ea64k, 16)), pte0(0x64, ea64k, true, false), 0x0123_0000L | 0x1000 | 0x10 | 2);
        // 16M page in a 16M segment: LP = 0 in bits 12:23.
        enter(group(hash(0x16, ea16m, 24)), pte0(0x16, ea16m, true, false), 0x0200_0000L | 0x10 | 2);
        // 16M page in a 4K segment (MPSS): hashed by the 4K base page, LP = 0x38.
        enter(group(hash(0x4, ea16mIn4k, 12)), pte0(0x4, ea16mIn4k, true, false), 0x0100_0000L | 0x38000 | 0x10 | 2);

        assertThat(cpu.mmu.translate(KERNEL, ea64k, AccessKind.LOAD)).isEqualTo(0x0123_4567L);
        assertThat(cpu.mmu.translate(KERNEL, ea16m, AccessKind.LOAD)).isEqualTo(0x0223_4567L);
        assertThat(cpu.mmu.translate(KERNEL, ea16mIn4k, AccessKind.LOAD)).isEqualTo(0x0123_4567L);
    }

    @Test
    void protectionByPpKeyAndNoExecute() {
        // Kp=1: problem state uses key 1; PP=0 gives it nothing, PP=3 read-only to everyone.
        segment(0, EA, VSID, Slb.VSID_KP);
        long ptex = enter(group(hash(VSID, EA, 12)), pte0(VSID, EA, false, false), 0x0050_0000L | 0x10);
        assertThat(cpu.mmu.translate(KERNEL, EA, AccessKind.STORE)).isEqualTo(0x0050_0000L);
        assertThat(fault(() -> cpu.mmu.translate(USER, EA, AccessKind.LOAD)))
                .isEqualTo(new GuestInterrupt.DataStorage(EA, StorageFault.PROTECTION,
                        "the HPTE's protection forbids the access"));

        // H_PROTECT to PP=3, N: read-only and no-execute for everyone, and the TLB forgets the writable entry.
        assertThat(hcall(HashPageTableHcalls.H_PROTECT, 3 | HashPageTable.R_N, ptex, 0))
                .isEqualTo(HcallStatus.H_SUCCESS);
        assertThat(fault(() -> cpu.mmu.translate(KERNEL, EA, AccessKind.STORE)))
                .isEqualTo(new GuestInterrupt.DataStorage(EA, StorageFault.PROTECTION | StorageFault.STORE,
                        "the HPTE's protection forbids the access"));
        assertThat(cpu.mmu.translate(USER, EA, AccessKind.LOAD)).isEqualTo(0x0050_0000L);
        assertThat(fault(() -> cpu.mmu.translate(KERNEL, EA, AccessKind.FETCH)))
                .isEqualTo(new GuestInterrupt.InstructionStorage(EA, StorageFault.NO_EXECUTE,
                        "the HPTE's protection forbids the access"));
    }

    @Test
    void anAmrWriteForgetsOnlyTheTranslationsOfTheKeysItChanges() {
        // Linux's hash KUAP: user pages have key 0, which the AMR blocks outside user accesses; its own have key 3.
        long kernelEa = EA + 0x10000;
        segment(0, EA, VSID, 0);
        enter(group(hash(VSID, EA, 12)), pte0(VSID, EA, false, false), 0x0050_0000L | 0x10 | 0x2);
        enter(group(hash(VSID, kernelEa, 12)), pte0(VSID, kernelEa, false, false), 0x0060_0000L | 0x600 | 0x10 | 0x2);
        assertThat(cpu.mmu.translate(KERNEL, EA, AccessKind.STORE)).isEqualTo(0x0050_0000L);
        assertThat(cpu.mmu.translate(KERNEL, kernelEa, AccessKind.STORE)).isEqualTo(0x0060_0000L);
        long fills = cpu.mmu.tlb.fills();

        cpu.mmu.write(KERNEL, Spr.AMR, 0xC000_0000_0000_0000L);
        assertThat(fault(() -> cpu.mmu.translate(KERNEL, EA, AccessKind.STORE)))
                .isEqualTo(new GuestInterrupt.DataStorage(EA, StorageFault.KEY | StorageFault.STORE,
                        "the HPTE's protection forbids the access"));
        assertThat(cpu.mmu.translate(KERNEL, kernelEa, AccessKind.STORE)).isEqualTo(0x0060_0000L);
        assertThat(cpu.mmu.tlb.fills()).isEqualTo(fills);

        cpu.mmu.write(KERNEL, Spr.AMR, 0);
        assertThat(cpu.mmu.translate(KERNEL, EA, AccessKind.STORE)).isEqualTo(0x0050_0000L);
    }

    @Test
    void segmentInterruptsAndNoExecuteSegments() {
        assertThat(fault(() -> cpu.mmu.translate(KERNEL, EA, AccessKind.STORE)))
                .isInstanceOf(GuestInterrupt.DataSegment.class);
        assertThat(fault(() -> cpu.mmu.translate(KERNEL, EA, AccessKind.FETCH)))
                .isInstanceOf(GuestInterrupt.InstructionSegment.class);
        segment(5, EA, VSID, Slb.VSID_N);
        assertThat(fault(() -> cpu.mmu.translate(KERNEL, EA, AccessKind.FETCH)))
                .isEqualTo(new GuestInterrupt.InstructionStorage(EA, StorageFault.NO_EXECUTE,
                        "fetch from a no-execute segment"));
    }

    @Test
    void theSlbInstructionsStoreFindAndInvalidate() {
        VcpuMmu v = cpu.mmu;
        segment(4, EA, VSID, Slb.VSID_KS | Slb.VSID_C);
        assertThat(v.slbmfee(4)).isEqualTo((EA & Slb.SEGMENT_256M) | Slb.ESID_VALID);
        assertThat(v.slbmfev(4)).isEqualTo((VSID << 12) | Slb.VSID_KS | Slb.VSID_C);
        assertThat(v.slbfee((EA & Slb.SEGMENT_256M) + 0x0FFF_FFFFL)).isEqualTo((VSID << 12) | Slb.VSID_KS | Slb.VSID_C);
        assertThat(v.slbfee((EA & Slb.SEGMENT_256M) + 0x1000_0000L)).isEqualTo(-1);
        // Invalid: slot beyond the SLB, a reserved segment size, an unknown page size encoding.
        assertThat(v.slbmte(VSID << 12, (EA & Slb.SEGMENT_256M) | Slb.ESID_VALID | 32)).isFalse();
        assertThat(v.slbmte((VSID << 12) | 0x8000_0000_0000_0000L, (EA & Slb.SEGMENT_256M) | Slb.ESID_VALID)).isFalse();
        assertThat(v.slbmte((VSID << 12) | 0x130, (EA & Slb.SEGMENT_256M) | Slb.ESID_VALID)).isFalse();
        // slbia IH=3 keeps class-0 entries; IH=0 spares entry 0; slbie removes one.
        segment(0, 0, 1, 0);
        segment(1, 0x1000_0000L, 2, 0);
        v.slbia(3);
        assertThat(v.slbfee(EA)).isEqualTo(-1);
        assertThat(v.slbfee(0x1000_0000L)).isNotEqualTo(-1);
        v.slbia(0);
        assertThat(v.slbfee(0)).isEqualTo(1L << 12);
        assertThat(v.slbfee(0x1000_0000L)).isEqualTo(-1);
        v.slbie(0x0000_0000_0FFF_0000L);
        assertThat(v.slbfee(0)).isEqualTo(-1);
    }

    @Test
    void slbieAndHRemoveFlushTheTlb() {
        segment(0, EA, VSID, 0);
        long ptex = enter(group(hash(VSID, EA, 12)), pte0(VSID, EA, false, false), 0x0050_0000L | 0x10 | 2);
        cpu.mmu.translate(KERNEL, EA, AccessKind.LOAD);
        assertThat(cpu.mmu.tlb.lookup(EA, KERNEL, AccessKind.LOAD)).isEqualTo(0x0050_0000L);

        assertThat(hcall(HashPageTableHcalls.H_REMOVE, 0, ptex, 0)).isEqualTo(HcallStatus.H_SUCCESS);
        assertThat(cpu.gpr[4]).isEqualTo(pte0(VSID, EA, false, false));
        assertThat(cpu.gpr[5] & HashPageTable.R_RPN).isEqualTo(0x0050_0000L);
        assertThat(fault(() -> cpu.mmu.translate(KERNEL, EA, AccessKind.LOAD)))
                .isInstanceOf(GuestInterrupt.DataStorage.class);

        enter(ptex, pte0(VSID, EA, false, false), 0x0050_0000L | 0x10 | 2);
        cpu.mmu.translate(KERNEL, EA, AccessKind.LOAD);
        cpu.mmu.slbie(EA);
        assertThat(fault(() -> cpu.mmu.translate(KERNEL, EA, AccessKind.LOAD)))
                .isInstanceOf(GuestInterrupt.DataSegment.class);
    }

    /**
     * H_REMOVE, H_PROTECT and H_BULK_REMOVE drop the translations of the HPTEs they change, every 4 KiB piece of
     * a large page, and keep the others cached: a stale entry would read the old page or store through a
     * read-only one.
     */
    @ParameterizedTest
    @ValueSource(ints = {12, 16, 24})
    void hptHcallsDropExactlyTheTranslationsOfTheHptesTheyChange(int shift) {
        // Each page in a segment of its own base size (as Linux maps them): 64K with LP 0001, 16M with LP 0.
        long slbFlags = switch (shift) {
            case 16 -> 0x110;
            case 24 -> 0x100;
            default -> 0;
        };
        int hashShift = shift;
        long lp = shift == 16 ? 0x1000 : 0;
        long page = 1L << shift;
        long ea = EA & ~(page - 1) & ~0x0FFF_FFFFL | 0x0400_0000L;
        long otherPage = ea + 4 * page;
        // Not in the TLB slot of ea's first piece (16M pages are 2^12 slots apart).
        long other = otherPage + (shift == 24 ? 0x5000 : 0);
        segment(0, ea, VSID, slbFlags);
        long rpnA = 0x0100_0000L;
        long rpnB = 0x0200_0000L;
        long rpnOther = 0x0300_0000L;
        long v = pte0(VSID, ea, shift != 12, false);
        long ptex = enter(group(hash(VSID, ea, hashShift)), v, rpnA | lp | 0x10 | 2);
        enter(group(hash(VSID, otherPage, hashShift)), pte0(VSID, otherPage, shift != 12, false),
                rpnOther | lp | 0x10 | 2);
        long[] pieces = shift == 12 ? new long[] {0} : new long[] {0, 0x1000, page - 0x1000};
        for (long piece : pieces) {
            assertThat(cpu.mmu.translate(KERNEL, ea + piece, AccessKind.STORE)).isEqualTo(rpnA + piece);
        }
        long otherReal = rpnOther + other - otherPage;
        assertThat(cpu.mmu.translate(KERNEL, other, AccessKind.STORE)).isEqualTo(otherReal);
        long fills = cpu.mmu.tlb.fills();
        long fullFlushes = cpu.mmu.tlb.fullFlushes();

        // H_REMOVE, then the same slot re-entered for another real page.
        assertThat(hcall(HashPageTableHcalls.H_REMOVE, 0, ptex, 0)).isEqualTo(HcallStatus.H_SUCCESS);
        for (long piece : pieces) {
            assertThat(cpu.mmu.tlb.lookup(ea + piece, KERNEL, AccessKind.LOAD)).isEqualTo(-1);
        }
        assertThat(cpu.mmu.tlb.lookup(other + 8, KERNEL, AccessKind.STORE)).isEqualTo(otherReal + 8);
        assertThat(enter(ptex, v, rpnB | lp | 0x10 | 2)).isEqualTo(ptex);
        for (long piece : pieces) {
            assertThat(cpu.mmu.translate(KERNEL, ea + piece, AccessKind.STORE)).isEqualTo(rpnB + piece);
        }

        // H_PROTECT to read-only: stores through the cached writable entries fault.
        assertThat(hcall(HashPageTableHcalls.H_PROTECT, 3, ptex, 0)).isEqualTo(HcallStatus.H_SUCCESS);
        for (long piece : pieces) {
            assertThat(cpu.mmu.tlb.lookup(ea + piece, KERNEL, AccessKind.STORE)).isEqualTo(-1);
            assertThat(fault(() -> cpu.mmu.translate(KERNEL, ea + piece, AccessKind.STORE)))
                    .isInstanceOf(GuestInterrupt.DataStorage.class);
            assertThat(cpu.mmu.translate(KERNEL, ea + piece, AccessKind.LOAD)).isEqualTo(rpnB + piece);
        }

        // H_BULK_REMOVE of it: gone again; the other page was never refilled.
        assertThat(hcall(HashPageTableHcalls.H_BULK_REMOVE, 0x4000_0000_0000_0000L | ptex, 0,
                0xC000_0000_0000_0000L, 0)).isEqualTo(HcallStatus.H_SUCCESS);
        for (long piece : pieces) {
            assertThat(cpu.mmu.tlb.lookup(ea + piece, KERNEL, AccessKind.LOAD)).isEqualTo(-1);
            assertThat(fault(() -> cpu.mmu.translate(KERNEL, ea + piece, AccessKind.LOAD)))
                    .isInstanceOf(GuestInterrupt.DataStorage.class);
        }
        assertThat(cpu.mmu.translate(KERNEL, other, AccessKind.STORE)).isEqualTo(otherReal);
        assertThat(cpu.mmu.tlb.fills()).isEqualTo(fills + 2L * pieces.length);
        assertThat(cpu.mmu.tlb.fullFlushes()).isEqualTo(fullFlushes);
    }

    @Test
    void slbiaThreeDropsTheUserSegmentsTranslationsAndKeepsTheKernels() {
        long user = 0x0000_0000_1000_0000L;
        long userVsid = 0x777;
        segment(0, EA, VSID, 0);
        segment(1, user, userVsid, Slb.VSID_C);
        enter(group(hash(VSID, EA, 12)), pte0(VSID, EA, false, false), 0x0050_0000L | 0x10 | 2);
        enter(group(hash(userVsid, user, 12)), pte0(userVsid, user, false, false), 0x0060_0000L | 0x10 | 2);
        cpu.mmu.translate(KERNEL, EA, AccessKind.LOAD);
        cpu.mmu.translate(USER, user, AccessKind.LOAD);

        cpu.mmu.slbia(3);

        assertThat(cpu.mmu.tlb.lookup(EA, KERNEL, AccessKind.LOAD)).isEqualTo(0x0050_0000L);
        assertThat(cpu.mmu.tlb.lookup(user, USER, AccessKind.LOAD)).isEqualTo(-1);
        assertThat(fault(() -> cpu.mmu.translate(USER, user, AccessKind.LOAD)))
                .isInstanceOf(GuestInterrupt.DataSegment.class);
        cpu.mmu.slbia(0);
        assertThat(cpu.mmu.tlb.lookup(EA, KERNEL, AccessKind.LOAD)).isEqualTo(-1);
    }

    @Test
    void hEnterChecksAndPlacesEntries() {
        long group = 0x40;
        long v = pte0(VSID, EA, false, false);
        // RAM must be WIMG=0010; I/O cache-inhibited; a bad LP encoding and a PTE index beyond the table.
        assertThat(hcall(HashPageTableHcalls.H_ENTER, 0, group, v, 0x1000)).isEqualTo(HcallStatus.H_PARAMETER);
        assertThat(hcall(HashPageTableHcalls.H_ENTER, 0, group, v, 0x10_0000_0000L | 0x20))
                .isEqualTo(HcallStatus.H_SUCCESS);
        assertThat(hcall(HashPageTableHcalls.H_ENTER, 0, group, v, 0x10_0000_0000L | 0x10))
                .isEqualTo(HcallStatus.H_PARAMETER);
        assertThat(hcall(HashPageTableHcalls.H_ENTER, 0, group, v | 4, 0x3000 | 0x10))
                .isEqualTo(HcallStatus.H_PARAMETER);
        assertThat(hcall(HashPageTableHcalls.H_ENTER, 0, 1L << 20, v, 0x10)).isEqualTo(HcallStatus.H_PARAMETER);
        // First free slot: slot 0 is taken by the I/O entry; H_EXACT on a taken slot fails; a full group too.
        assertThat(enter(group + 5, v, 0x2000 | 0x10)).isEqualTo(group + 1);
        assertThat(hcall(HashPageTableHcalls.H_ENTER, 1L << 39, group + 1, v, 0x10))
                .isEqualTo(HcallStatus.H_PTEG_FULL);
        assertThat(hcall(HashPageTableHcalls.H_ENTER, 1L << 39, group + 6, v | 0x60, 0x10))
                .isEqualTo(HcallStatus.H_SUCCESS);
        assertThat(cpu.gpr[4]).isEqualTo(group + 6);
        assertThat(mmu.hashPageTable().pte0(group + 6)).isEqualTo(v);
        for (int i = 0; i < 5; i++) {
            enter(group, v, 0x10);
        }
        assertThat(hcall(HashPageTableHcalls.H_ENTER, 0, group, v, 0x10)).isEqualTo(HcallStatus.H_PTEG_FULL);
    }

    @Test
    void hRemoveConditionsAndHRead() {
        long v = pte0(VSID, EA, false, false);
        long ptex = enter(0x80, v, 0x4000 | 0x10 | 2);
        enter(0x80, v | (1L << 20), 0x5000 | 0x10);
        assertThat(hcall(HashPageTableHcalls.H_REMOVE, 1L << 31, ptex, 0x1234_5000L))
                .isEqualTo(HcallStatus.H_NOT_FOUND);
        assertThat(hcall(HashPageTableHcalls.H_REMOVE, 1L << 30, ptex, 1)).isEqualTo(HcallStatus.H_NOT_FOUND);
        assertThat(hcall(HashPageTableHcalls.H_REMOVE, 0, 1L << 30, 0)).isEqualTo(HcallStatus.H_PARAMETER);

        assertThat(hcall(HashPageTableHcalls.H_READ, 1L << 37, 0x82)).isEqualTo(HcallStatus.H_SUCCESS);
        assertThat(new long[] {cpu.gpr[4], cpu.gpr[5], cpu.gpr[6], cpu.gpr[7], cpu.gpr[8], cpu.gpr[10]})
                .containsExactly(v, 0x4000 | 0x10 | 2, v | (1L << 20), 0x5000 | 0x10, 0, 0);
        assertThat(hcall(HashPageTableHcalls.H_READ, 0, 0x81)).isEqualTo(HcallStatus.H_SUCCESS);
        assertThat(cpu.gpr[4]).isEqualTo(v | (1L << 20));

        assertThat(hcall(HashPageTableHcalls.H_REMOVE, 1L << 31, ptex, v & ~0x7fL)).isEqualTo(HcallStatus.H_SUCCESS);
        assertThat(cpu.gpr[4]).isEqualTo(v);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void hBulkRemoveRewritesEachSpecifierAsItsResponse(boolean endEarly) {
        long v = pte0(VSID, EA, false, false);
        long a = enter(0x100, v, 0x4000 | 0x10 | HashPageTable.R_R | HashPageTable.R_C);
        long b = enter(0x100, v, 0x5000 | 0x10);
        long request = 0x4000_0000_0000_0000L;
        long avpn = 0x0200_0000_0000_0000L;
        HcallStatus status = hcall(HashPageTableHcalls.H_BULK_REMOVE,
                request | a, 0,
                request | avpn | b, v & ~0x7fL,
                request | 0x108, 0,
                endEarly ? 0xC000_0000_0000_0000L : request | b, 0);
        // a: success with R and C; b: success (AVPN matched); 0x108: not found; then END or b again (gone).
        assertThat(status).isEqualTo(HcallStatus.H_SUCCESS);
        assertThat(cpu.gpr[4]).isEqualTo(0x8000_0000_0000_0000L | 0x0C00_0000_0000_0000L | a);
        assertThat(cpu.gpr[6]).isEqualTo(0x8000_0000_0000_0000L | avpn | b);
        assertThat(cpu.gpr[8]).isEqualTo(0x9000_0000_0000_0000L | 0x108);
        assertThat(cpu.gpr[10]).isEqualTo(endEarly ? 0xC000_0000_0000_0000L : 0x9000_0000_0000_0000L | b);
        assertThat(mmu.hashPageTable().pte0(a)).isZero();
        // AVPN together with ANDCOND is a parameter error, reported in the specifier too.
        assertThat(hcall(HashPageTableHcalls.H_BULK_REMOVE, request | avpn | 0x0100_0000_0000_0000L | a, 0,
                0xC000_0000_0000_0000L, 0)).isEqualTo(HcallStatus.H_PARAMETER);
        assertThat(cpu.gpr[4]).isEqualTo(0xA000_0000_0000_0000L | avpn | 0x0100_0000_0000_0000L | a);
    }

    @Test
    void aRadixPartitionHasNoHpt() {
        PartitionMmu radix = new PartitionMmu(MmuMode.RADIX, memory, 18, HashPageSizes.power9());
        HcallTable table = new HcallTable();
        HashPageTableHcalls.register(table, radix, memory);
        cpu.gpr[3] = HashPageTableHcalls.H_ENTER;
        table.hypercall(cpu);
        assertThat(cpu.gpr[3]).isEqualTo(HcallStatus.H_FUNCTION.code());
        assertThatThrownBy(() -> new PartitionMmu(MmuMode.HASH, memory, 17, HashPageSizes.power9()))
                .hasMessageContaining("2^17");
    }

    @Test
    void thePseriesPageSizesAreQemusFilteredTable() {
        List<HashPageSizes.SegmentPageSize> sizes = HashPageSizes.power9().limitedTo(16).segments();
        assertThat(sizes).containsExactly(
                new HashPageSizes.SegmentPageSize(12, 0, List.of(new HashPageSizes.PageEncoding(12, 0))),
                new HashPageSizes.SegmentPageSize(16, 0x110, List.of(new HashPageSizes.PageEncoding(16, 1))));
    }
}
