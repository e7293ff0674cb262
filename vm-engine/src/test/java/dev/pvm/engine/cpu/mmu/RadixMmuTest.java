package dev.pvm.engine.cpu.mmu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.Spr;
import dev.pvm.engine.cpu.interp.GuestInterruptSignal;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.hcall.HcallTable;
import dev.pvm.engine.hcall.ProcessTableHcall;
import dev.pvm.engine.machine.MmuMode;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.RamRegion;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Radix translation of a PAPR guest over page tables built in guest memory, the process table registered through
 * H_REGISTER_PROC_TBL as Linux does (flags NEW|RADIX|GTSE), and tlbie/tlbiel flushing exactly the TLB entries the
 * operands name. Expected reasons follow Book III 6.7.10 and QEMU's mmu-radix64.c.
 */
class RadixMmuTest {

    private static final long KERNEL = Msr.SF | Msr.DR | Msr.IR;
    private static final long USER = KERNEL | Msr.PR;
    private static final long RWX = RadixTables.R | RadixTables.C | RadixTables.READ_WRITE | RadixTables.EXECUTE;
    private static final long KERNEL_EA = 0xC000_0000_0040_0000L;
    private static final long USER_EA = 0x0000_7FFF_1234_0000L;

    private final AddressSpace memory = new AddressSpace(List.of(RamRegion.allocate(0, 64L << 20)));
    private final PartitionMmu mmu = new PartitionMmu(MmuMode.RADIX, memory, 18, HashPageSizes.power9());
    private final HcallTable hcalls = new HcallTable();
    private final CpuState cpu = new CpuState(0);
    private final RadixTables tables = new RadixTables(memory, 0x1_0000, 0x10_0000);

    RadixMmuTest() {
        mmu.attach(cpu, 32);
        ProcessTableHcall.register(hcalls, mmu);
    }

    @AfterEach
    void close() {
        mmu.close();
        memory.close();
    }

    private long registerProcessTable(long flags, long base, long pageSize, long tableSize) {
        cpu.gpr[3] = ProcessTableHcall.H_REGISTER_PROC_TBL;
        cpu.gpr[4] = flags;
        cpu.gpr[5] = base;
        cpu.gpr[6] = pageSize;
        cpu.gpr[7] = tableSize;
        hcalls.hypercall(cpu);
        return cpu.gpr[3];
    }

    private void register() {
        assertThat(registerProcessTable(0x1d, tables.processTable(), 0, 0)).isZero();
    }

    private static GuestInterrupt fault(Runnable access) {
        try {
            access.run();
        } catch (GuestInterruptSignal s) {
            return s.interrupt();
        }
        throw new AssertionError("no interrupt");
    }

    private long translate(long msr, long ea, AccessKind kind) {
        return cpu.mmu.translate(msr, ea, kind);
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 16, 21, 30})
    void translatesLeavesOfEveryPageSize(int shift) {
        long real = 0x0300_0000L & ~((1L << shift) - 1) | (shift == 30 ? 0x4000_0000L : 0);
        tables.map(0, KERNEL_EA & ~((1L << shift) - 1), real, shift, RWX);
        register();
        long ea = (KERNEL_EA & ~((1L << shift) - 1)) + (1L << shift) - 8;
        assertThat(translate(KERNEL, ea, AccessKind.LOAD)).isEqualTo(real + (1L << shift) - 8);
    }

    @Test
    void quadrantsSelectThePid() {
        tables.map(0, KERNEL_EA, 0x50_0000, 16, RWX | RadixTables.PRIVILEGED);
        tables.map(7, USER_EA, 0x60_0000, 16, RWX);
        tables.map(9, USER_EA, 0x70_0000, 16, RWX);
        register();
        cpu.mmu.write(KERNEL, Spr.PIDR, 7);
        assertThat(translate(USER, USER_EA, AccessKind.LOAD)).isEqualTo(0x60_0000L);
        assertThat(translate(KERNEL, KERNEL_EA, AccessKind.LOAD)).isEqualTo(0x50_0000L);
        // A PIDR write forgets quadrant 0 but keeps the kernel's entries.
        cpu.mmu.write(KERNEL, Spr.PIDR, 9);
        assertThat(cpu.mmu.tlb.lookup(KERNEL_EA, KERNEL, AccessKind.LOAD)).isEqualTo(0x50_0000L);
        assertThat(translate(USER, USER_EA, AccessKind.LOAD)).isEqualTo(0x70_0000L);
        assertThat(fault(() -> translate(KERNEL, 0x4000_0000_0000_0000L, AccessKind.LOAD)))
                .isInstanceOf(GuestInterrupt.DataSegment.class);
        assertThat(fault(() -> translate(KERNEL, 0x8000_0000_0000_0000L, AccessKind.FETCH)))
                .isInstanceOf(GuestInterrupt.InstructionSegment.class);
    }

    @Test
    void faultsCarryTheirReasons() {
        tables.map(0, KERNEL_EA, 0x50_0000, 12, RadixTables.R | RadixTables.C | RadixTables.READ
                | RadixTables.PRIVILEGED);
        long leaf = tables.map(0, KERNEL_EA + 0x1000, 0x51_0000, 12, RadixTables.READ_WRITE);
        register();
        // Not mapped; read-only; privileged page from problem state; no execute authority.
        assertThat(fault(() -> translate(KERNEL, KERNEL_EA + 0x2000, AccessKind.STORE)))
                .isEqualTo(new GuestInterrupt.DataStorage(KERNEL_EA + 0x2000,
                        StorageFault.NOT_FOUND | StorageFault.STORE, "invalid radix entry at level 3"));
        assertThat(fault(() -> translate(KERNEL, KERNEL_EA, AccessKind.STORE)))
                .isEqualTo(new GuestInterrupt.DataStorage(KERNEL_EA, StorageFault.PROTECTION | StorageFault.STORE,
                        "the PTE's access authority forbids it"));
        assertThat(fault(() -> translate(USER, KERNEL_EA, AccessKind.LOAD)))
                .isEqualTo(new GuestInterrupt.DataStorage(KERNEL_EA, StorageFault.PROTECTION,
                        "the PTE's access authority forbids it"));
        assertThat(fault(() -> translate(KERNEL, KERNEL_EA, AccessKind.FETCH)))
                .isEqualTo(new GuestInterrupt.InstructionStorage(KERNEL_EA, StorageFault.PROTECTION,
                        "the PTE's access authority forbids it"));
        // R and C are the OS's to set: without them the access faults; with R only a load passes, cached
        // read-only, and a store still faults.
        assertThat(fault(() -> translate(KERNEL, KERNEL_EA + 0x1000, AccessKind.LOAD)))
                .isEqualTo(new GuestInterrupt.DataStorage(KERNEL_EA + 0x1000, StorageFault.RADIX_REFERENCE_CHANGE,
                        "the PTE's R/C bits are not set for this access"));
        tables.write(leaf, tables.read(leaf) | RadixTables.R);
        assertThat(translate(KERNEL, KERNEL_EA + 0x1000, AccessKind.LOAD)).isEqualTo(0x51_0000L);
        assertThat(cpu.mmu.tlb.lookup(KERNEL_EA + 0x1000, KERNEL, AccessKind.STORE)).isEqualTo(-1);
        assertThat(fault(() -> translate(KERNEL, KERNEL_EA + 0x1000, AccessKind.STORE)))
                .isEqualTo(new GuestInterrupt.DataStorage(KERNEL_EA + 0x1000,
                        StorageFault.RADIX_REFERENCE_CHANGE | StorageFault.STORE,
                        "the PTE's R/C bits are not set for this access"));
    }

    @Test
    void theAmrKeepsTheKernelOutOfUserPages() {
        tables.map(0, USER_EA, 0x60_0000, 16, RWX);
        register();
        assertThat(translate(KERNEL, USER_EA, AccessKind.STORE)).isEqualTo(0x60_0000L);
        // Linux's KUAP: AMR key 0 blocks kernel loads and stores to non-privileged pages; the TLB follows.
        cpu.mmu.write(KERNEL, Spr.AMR, 0xC000_0000_0000_0000L);
        assertThat(fault(() -> translate(KERNEL, USER_EA, AccessKind.STORE)))
                .isEqualTo(new GuestInterrupt.DataStorage(USER_EA, StorageFault.PROTECTION | StorageFault.STORE,
                        "the PTE's access authority forbids it"));
        assertThat(translate(USER, USER_EA, AccessKind.STORE)).isEqualTo(0x60_0000L);
        cpu.mmu.write(KERNEL, Spr.AMR, 0);
        assertThat(translate(KERNEL, USER_EA, AccessKind.STORE)).isEqualTo(0x60_0000L);
    }

    @Test
    void tlbieFlushesWhatItNamesAndNothingElse() {
        long leaf = tables.map(0, KERNEL_EA, 0x50_0000, 16, RWX);
        tables.map(0, KERNEL_EA + 0x1_0000, 0x51_0000, 16, RWX);
        register();
        translate(KERNEL, KERNEL_EA, AccessKind.LOAD);
        translate(KERNEL, KERNEL_EA + 0x1_0000, AccessKind.LOAD);
        // The OS remaps the page; until it invalidates, the TLB still holds the old translation.
        tables.write(leaf, RadixTables.VALID | RadixTables.LEAF | 0x58_0000 | RWX);
        assertThat(translate(KERNEL, KERNEL_EA + 8, AccessKind.LOAD)).isEqualTo(0x50_0008L);
        // tlbie RB = EA | AP 64K (5) | IS 0, RS = PID 0, RIC 0, PRS 1, R 1: only that page goes.
        cpu.mmu.tlbie(KERNEL_EA | (5 << 5), 0, 0, true, true, false);
        assertThat(translate(KERNEL, KERNEL_EA + 8, AccessKind.LOAD)).isEqualTo(0x58_0008L);
        assertThat(cpu.mmu.tlb.lookup(KERNEL_EA + 0x1_0000, KERNEL, AccessKind.LOAD)).isEqualTo(0x51_0000L);
        // RIC=1 (page walk cache only) keeps the TLB; IS=1 for PID 0 drops the kernel quadrant.
        cpu.mmu.tlbie(1L << 10, 0, 1, true, true, false);
        assertThat(cpu.mmu.tlb.lookup(KERNEL_EA + 0x1_0000, KERNEL, AccessKind.LOAD)).isEqualTo(0x51_0000L);
        cpu.mmu.tlbie(1L << 10, 0, 0, true, true, true);
        assertThat(cpu.mmu.tlb.lookup(KERNEL_EA + 0x1_0000, KERNEL, AccessKind.LOAD)).isEqualTo(-1);
    }

    @Test
    void tlbieNeedsGtseAndPartitionScopeIsTheHypervisors() {
        assertThat(registerProcessTable(0x1c, tables.processTable(), 0, 0)).isZero();
        assertThat(fault(() -> cpu.mmu.tlbie(3L << 10, 0, 2, true, true, false)))
                .isInstanceOf(GuestInterrupt.Program.class);
        cpu.mmu.tlbie(3L << 10, 0, 2, true, true, true);
        assertThat(fault(() -> cpu.mmu.tlbie(3L << 10, 0, 2, false, true, true)))
                .isInstanceOf(GuestInterrupt.Program.class);
    }

    @Test
    void registrationChecksAsQemu() {
        assertThat(registerProcessTable(0x20, 0, 0, 0)).isEqualTo(-4);
        assertThat(registerProcessTable(0x1d, 0x1_0800, 0, 0)).isEqualTo(-55);
        assertThat(registerProcessTable(0x1d, 0x1_0000, 1, 0)).isEqualTo(-56);
        assertThat(registerProcessTable(0x1d, 0x1_0000, 0, 25)).isEqualTo(-57);
        // A radix VM keeps radix: hash registration or "keep hash" are refused.
        assertThat(registerProcessTable(0x18, 0, 0, 0)).isEqualTo(-4);
        assertThat(registerProcessTable(0, 0, 0, 0)).isEqualTo(-4);
        register();
        assertThat(mmu.processTableEntry()).isEqualTo(0x8000_0000_0000_0000L | tables.processTable());
        assertThat(mmu.guestTranslationShootdown()).isTrue();
        assertThat(registerProcessTable(0x04, 0, 0, 0)).isZero();
        assertThat(mmu.hasProcessTable()).isTrue();
        // Without a table a relocated access finds nothing.
        assertThat(registerProcessTable(0x10, 0, 0, 0)).isZero();
        assertThat(fault(() -> translate(KERNEL, KERNEL_EA, AccessKind.LOAD)))
                .isEqualTo(new GuestInterrupt.DataStorage(KERNEL_EA, StorageFault.NOT_FOUND,
                        "no process table registered"));
    }

    @Test
    void aHashPartitionAcceptsOnlyHash() {
        PartitionMmu hash = new PartitionMmu(MmuMode.HASH, memory, 18, HashPageSizes.power9());
        HcallTable table = new HcallTable();
        ProcessTableHcall.register(table, hash);
        cpu.gpr[3] = ProcessTableHcall.H_REGISTER_PROC_TBL;
        cpu.gpr[4] = 0;
        table.hypercall(cpu);
        assertThat(cpu.gpr[3]).isZero();
        cpu.gpr[3] = ProcessTableHcall.H_REGISTER_PROC_TBL;
        cpu.gpr[4] = 0x1d;
        cpu.gpr[5] = 0x1_0000;
        table.hypercall(cpu);
        assertThat(cpu.gpr[3]).isEqualTo(-4);
        hash.close();
    }
}
