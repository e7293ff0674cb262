package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpecialRegisterOpsTest {

    private final TestCpu t = TestCpu.bigEndian();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void linkCountAndFixedPointExceptionRegisters() {
        long xer = CpuState.XER_SO | CpuState.XER_CA | CpuState.XER_OV32 | 0x15;
        t.set(3, 0x1234).set(4, 0x5678).set(5, xer | 0xffff_0000_0000_0000L)
                .exec("mtspr 8,r3", "mtspr 9,r4", "mtspr 1,r5", "mfspr r6,8", "mfspr r7,9", "mfspr r8,1");
        assertThat(t.cpu.lr).isEqualTo(0x1234);
        assertThat(t.cpu.ctr).isEqualTo(0x5678);
        assertThat(t.cpu.so).isEqualTo(1);
        assertThat(t.cpu.ca).isEqualTo(1);
        assertThat(t.cpu.ov).isZero();
        assertThat(t.cpu.ov32).isEqualTo(1);
        assertThat(t.r(6)).isEqualTo(0x1234);
        assertThat(t.r(7)).isEqualTo(0x5678);
        assertThat(t.r(8)).as("reserved XER bits read as 0").isEqualTo(xer);
    }

    @Test
    void supervisorRegistersAndIdentification() {
        t.set(3, 0xabc).exec("mtspr 26,r3", "mtspr 27,r3", "mtspr 273,r3", "mfspr r4,26", "mfspr r5,273",
                "mfspr r6,287", "mfspr r7,1023");
        assertThat(t.cpu.srr0).isEqualTo(0xabc);
        assertThat(t.cpu.srr1).isEqualTo(0xabc);
        assertThat(t.cpu.sprg[1]).isEqualTo(0xabc);
        assertThat(t.r(4)).isEqualTo(0xabc);
        assertThat(t.r(5)).isEqualTo(0xabc);
        assertThat(t.r(6)).isEqualTo(0x004e_1200L);
        assertThat(t.r(7)).isZero();
    }

    @Test
    void timebaseReads() {
        t.exec("mftb r3,268", "mftb r4,269", "mfspr r5,268");
        assertThat(t.r(3)).isEqualTo(t.tb);
        assertThat(t.r(4)).isEqualTo(t.tb >>> 32);
        assertThat(t.r(5)).isEqualTo(t.tb);
    }

    @Test
    void privilegedRegistersAreRefusedInProblemState() {
        t.cpu.setMsr(Msr.SF | Msr.PR);
        t.code("mfspr r3,8", "mfspr r3,26");
        assertThat(t.run(2)).isEqualTo(1);
        assertThat(t.cpu.pendingInterrupt).isEqualTo(
                new GuestInterrupt.Program(GuestInterrupt.ProgramReason.PRIVILEGED_INSTRUCTION, ""));
    }

    @Test
    void unimplementedRegistersStopTheGuestWithTheirNumber() {
        t.code("mfspr r3,999");
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt.describe()).contains("illegal instruction", "SPR 999");
    }

    @Test
    void conditionRegisterMoves() {
        t.set(3, 0x1234_5678L).exec("mtcrf 0x81,r3", "mfcr r4", "mtocrf 0x20,r3", "mfocrf r5,0x20");
        assertThat(t.r(4)).isEqualTo(0x1000_0008L);
        assertThat(t.cpu.cr).isEqualTo(0x1030_0008);
        assertThat(t.r(5)).isEqualTo(0x0030_0000L);
    }
}
