package dev.pvm.engine.cpu.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.mmu.RadixTables;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Translated code with instruction and data relocation on (a radix partition, the kernel's quadrant 3 mapped onto
 * the fixture's RAM with 64 KiB pages): it agrees with the interpreter instruction for instruction (lockstep),
 * takes its loads and stores through the softmmu TLB, raises the same storage interrupts, and never runs code of a
 * page whose mapping changed.
 */
class RelocatedTranslationTest {

    private static final long KERNEL_BASE = 0xC000_0000_0000_0000L;
    private static final long RWX = RadixTables.R | RadixTables.C | RadixTables.READ_WRITE | RadixTables.EXECUTE;

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void aRelocatedLoopAgreesWithTheInterpreter(ExecutionMode mode) {
        try (GuestFixture f = new GuestFixture(mode, true)) {
            f.relocate(KERNEL_BASE);
            // Sum 64 doublewords, storing running sums, and a word straddling a 4 KiB boundary.
            f.code("addi r3,0,64", "mtspr 9,r3", "addi r5,0,0", "addi r7,r20,-8");
            long loop = f.code("ldu r6,8(r7)", "add r5,r5,r6", "std r5,0x800(r7)");
            f.code("bc 16,0," + loop, "stw r5,0xffe(r20)", "lwz r8,0xffe(r20)", "lhbrx r9,0,r21");
            long end = f.next();
            f.code("b " + end);
            f.cpu.gpr[20] = KERNEL_BASE + GuestFixture.DATA;
            f.cpu.gpr[21] = KERNEL_BASE + GuestFixture.DATA + 0xfff;
            for (int i = 0; i < 64; i++) {
                f.memory.store64(GuestFixture.DATA + 8L * i, i * 3L + 1, f.order());
            }
            f.run(64 * 4 + 12);
            long sum = 64 * 63 / 2 * 3 + 64;
            assertThat(f.cpu.pendingInterrupt).isNull();
            assertThat(f.cpu.gpr[5]).isEqualTo(sum);
            assertThat(f.memory.load64(GuestFixture.DATA + 0x800 + 8 * 63, f.order())).isEqualTo(sum);
            assertThat(f.cpu.gpr[8]).isEqualTo(sum & 0xFFFF_FFFFL);
            assertThat(f.cpu.gpr[9]).isEqualTo(Short.reverseBytes((short) (sum >>> 8)) & 0xffffL);
            assertThat(f.cpu.mmu.tlb.lookup(KERNEL_BASE + GuestFixture.DATA, f.cpu.msr, dev.pvm.engine.cpu.mmu
                    .AccessKind.LOAD)).isEqualTo(GuestFixture.DATA);
        }
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void anUnmappedStoreRaisesADataStorageInterruptWithPreciseState(ExecutionMode mode) {
        try (GuestFixture f = new GuestFixture(mode, true)) {
            f.relocate(KERNEL_BASE);
            f.code("addi r3,0,1", "std r3,0(r20)", "addi r3,0,2", "std r3,0(r21)", "addi r3,0,3");
            f.cpu.gpr[20] = KERNEL_BASE + GuestFixture.DATA;
            f.cpu.gpr[21] = KERNEL_BASE + 0x10_0000;
            f.run(100);
            assertThat(f.cpu.pendingInterrupt).isEqualTo(new GuestInterrupt.DataStorage(KERNEL_BASE + 0x10_0000,
                    0x4200_0000L, "invalid radix entry at level 3"));
            assertThat(f.cpu.cia).isEqualTo(KERNEL_BASE + GuestFixture.CODE + 12);
            assertThat(f.cpu.gpr[3]).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aRemappedCodePageRunsItsNewCode(boolean lockstep) {
        try (GuestFixture f = new GuestFixture(lockstep ? ExecutionMode.LOCKSTEP : ExecutionMode.TRANSLATOR, true)) {
            RadixTables tables = f.relocate(KERNEL_BASE);
            // Two versions of a function in two real pages; EA 0xc...9_0000 maps to the first.
            long first = 0x9_0000;
            long second = 0x7_0000;
            f.memory.store32(first, f.assemble("addi r3,0,111", first), f.order());
            f.memory.store32(first + 4, f.assemble("b " + (first + 4), first + 4), f.order());
            f.memory.store32(second, f.assemble("addi r3,0,222", second), f.order());
            f.memory.store32(second + 4, f.assemble("b " + (second + 4), second + 4), f.order());
            long entry = KERNEL_BASE + first;
            f.cpu.nia = entry;
            f.run(2);
            assertThat(f.cpu.gpr[3]).isEqualTo(111);

            // Remap the page to the second version and invalidate it, as the OS does: the same EA, other code.
            tables.map(0, entry, second, 16, RWX);
            f.cpu.mmu.tlbie(entry | (5 << 5), 0, 0, true, true, true);
            f.cpu.nia = entry;
            f.run(2);
            assertThat(f.cpu.gpr[3]).isEqualTo(222);
        }
    }
}
