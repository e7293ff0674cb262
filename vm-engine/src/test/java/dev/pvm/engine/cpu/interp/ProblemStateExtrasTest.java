package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Fscr;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The v3.0 problem-state instructions that set or read special state: addpcis, setb, the program priority
 * register and its or-nops, scv, attn, and the transactional-memory instructions of a CPU without HTM.
 */
class ProblemStateExtrasTest {

    private final TestCpu t = TestCpu.littleEndian();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void addpcisAddsTheShiftedImmediateToTheNextInstructionAddress() {
        t.exec("addpcis r3,0", "addpcis r4,1", "addpcis r5,-1");
        long first = TestCpu.CODE;
        assertThat(t.r(3)).as("lnia").isEqualTo(first + 4);
        assertThat(t.r(4)).isEqualTo(first + 8 + 0x10000);
        assertThat(t.r(5)).isEqualTo(first + 12 - 0x10000);
    }

    @Test
    void setbMapsCrFieldToMinusOneOneOrZero() {
        t.cpu.setCrField(4, 0b1010);
        t.cpu.setCrField(5, 0b0100);
        t.cpu.setCrField(6, 0b0011);
        t.exec("setb r3,cr4", "setb r4,cr5", "setb r5,cr6");
        assertThat(t.r(3)).isEqualTo(-1);
        assertThat(t.r(4)).isEqualTo(1);
        assertThat(t.r(5)).isZero();
    }

    @Test
    void priorityNopsSetPprWithinThePrivilegeOfTheState() {
        assertThat(t.cpu.ppr).isEqualTo(CpuState.PPR_MEDIUM);
        t.exec("or r1,r1,r1", "mfspr r3,896");
        assertThat(t.r(3)).as("low").isEqualTo(2L << 50);
        t.exec("or r3,r3,r3");
        assertThat(t.cpu.ppr).as("medium-high from supervisor state").isEqualTo(6L << 50);
        t.cpu.setMsr(t.cpu.msr | Msr.PR);
        t.exec("or r31,r31,r31", "or r5,r5,r5", "mfspr r4,898");
        assertThat(t.cpu.ppr).as("very low; medium-high is not allowed in problem state").isEqualTo(1L << 50);
        assertThat(t.r(4)).as("PPR32 is the high word").isEqualTo(1L << 18);
        t.set(6, 6L << 50).set(7, 3L << 50).exec("mtspr 896,r6", "or r27,r27,r27");
        assertThat(t.cpu.ppr).isEqualTo(1L << 50);
        t.exec("mtspr 896,r7");
        assertThat(t.cpu.ppr).isEqualTo(3L << 50);
        t.exec("or. r2,r2,r2");
        assertThat(t.cpu.ppr).as("the record form is no priority nop").isEqualTo(3L << 50);
    }

    @Test
    void vrsaveIsReadableInProblemState() {
        t.cpu.setMsr(t.cpu.msr | Msr.PR);
        t.set(3, 0x1_ffff_0000L).exec("mtspr 256,r3", "mfspr r4,256");
        assertThat(t.r(4)).as("a 32-bit register").isEqualTo(0xffff_0000L);
    }

    @Test
    void scvRaisesTheVectoredSystemCallAndAttnIsIllegal() {
        t.code("scv 3");
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt).as("FSCR[SCV]=0").isEqualTo(new GuestInterrupt.FacilityUnavailable(
                Fscr.SCV_CAUSE, "scv with FSCR[SCV]=0"));
        t.cpu.pendingInterrupt = null;
        t.cpu.fscr = Fscr.SCV;
        t.cpu.nia = TestCpu.CODE;
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt).isEqualTo(new GuestInterrupt.SystemCallVectored(3));
        t.cpu.pendingInterrupt = null;
        t.code("attn");
        t.cpu.nia = TestCpu.CODE + 4;
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt.describe()).contains("illegal instruction", "attn");
    }

    @Test
    void transactionsAlwaysFailToStart() {
        t.exec("tbegin. 0");
        assertThat(t.cpu.crField(0)).isEqualTo(TransactionalMemoryOps.TBEGIN_FAILED);
        t.exec("tend. 0");
        assertThat(t.cpu.crField(0)).isZero();
        t.cpu.setCrField(0, 0xf);
        t.exec("tabort. r3");
        assertThat(t.cpu.crField(0)).isZero();
    }
}
