package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.mmu.HashPageSizes;
import dev.pvm.engine.cpu.mmu.PartitionMmu;
import dev.pvm.engine.machine.MmuMode;
import org.junit.jupiter.api.Test;

/** The SLB and TLB management instructions and the MMU's SPRs as instructions (Book III 5.9.3, 6.10). */
class MmuOpsTest {

    private static final long ESID = 0xC000_0000_0000_0000L | 0x0800_0000L;
    private static final long VSID = 0x1234_5000L | 0xC00;

    @Test
    void slbInstructionsMoveEntriesInAndOut() {
        try (TestCpu t = TestCpu.bigEndian();
                PartitionMmu mmu = new PartitionMmu(MmuMode.HASH, t.memory, 18, HashPageSizes.power9())) {
            mmu.attach(t.cpu, 32);
            t.set(3, VSID).set(4, ESID | 7).set(5, 7).set(6, 0xC000_0000_0FFF_0000L).set(8, 0x1000_0000L);
            t.exec("slbmte r3,r4", "slbmfee r10,r5", "slbmfev r11,r5", "slbfee. r12,r6");
            assertThat(t.r(10)).isEqualTo(ESID);
            assertThat(t.r(11)).isEqualTo(VSID);
            assertThat(t.r(12)).isEqualTo(VSID);
            assertThat(t.cpu.crField(0)).isEqualTo(2);
            t.exec("slbie r6", "slbfee. r12,r6");
            assertThat(t.r(12)).isZero();
            assertThat(t.cpu.crField(0)).isZero();
            // An SLB index beyond the 32 entries is an invalid operand.
            t.set(5, 40).exec("slbmfee r10,r5");
            assertThat(t.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.Program.class);
        }
    }

    @Test
    void theMmuRegistersAndTheirPrivilege() {
        try (TestCpu t = TestCpu.bigEndian()) {
            t.set(3, 0x1_0000_0042L).exec("mtspr 48,r3", "mfspr r4,48", "mtspr 13,r3", "mfspr r5,29");
            assertThat(t.r(4)).isEqualTo(0x42);
            assertThat(t.r(5)).isEqualTo(0x1_0000_0042L);
            assertThat(t.cpu.mmu.pidr()).isEqualTo(0x42);
            // LPIDR is the hypervisor's.
            t.exec("mfspr r6,319");
            assertThat(t.cpu.pendingInterrupt).isEqualTo(new GuestInterrupt.Program(
                    GuestInterrupt.ProgramReason.PRIVILEGED_INSTRUCTION, ""));
        }
    }

    @Test
    void problemStateMayNotManageTheMmuAndChangesOnlyUamorBitsOfTheAmr() {
        try (TestCpu t = TestCpu.bigEndian()) {
            t.cpu.mmu.write(t.cpu.msr, dev.pvm.engine.cpu.Spr.UAMOR, 0x3000_0000_0000_0000L);
            t.cpu.setMsr(t.cpu.msr | Msr.PR);
            t.set(3, -1L).exec("mtspr 13,r3", "mfspr r4,13");
            assertThat(t.r(4)).isEqualTo(0x3000_0000_0000_0000L);
            t.exec("tlbiel r3");
            assertThat(t.cpu.pendingInterrupt).isEqualTo(new GuestInterrupt.Program(
                    GuestInterrupt.ProgramReason.PRIVILEGED_INSTRUCTION, ""));
        }
    }
}
