package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProcessorControlOpsTest {

    private final TestCpu t = TestCpu.bigEndian();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void mtmsrdWithLOneChangesOnlyEeAndRi() {
        t.set(3, -1L).exec("mtmsrd r3,1", "mfmsr r4");
        assertThat(t.cpu.msr).isEqualTo(TestCpu.MSR | Msr.EE | Msr.RI);
        assertThat(t.r(4)).isEqualTo(t.cpu.msr);
    }

    @Test
    void settingEeEndsTheRunSoPendingInterruptsAreLookedAt() {
        t.set(3, Msr.EE).code("mtmsrd r3,1", "mtmsrd r3,1", "addi r4,0,1");
        assertThat(t.run(3)).as("EE 0 to 1").isEqualTo(1);
        assertThat(t.cpu.stopRequested).isTrue();
        assertThat(t.run(2)).as("EE already 1").isEqualTo(2);
        assertThat(t.cpu.pendingInterrupt).isNull();
    }

    @Test
    void mtmsrSetsOnlyTheLowWordAndRfscvReturnsThroughLrAndCtr() {
        t.set(3, Msr.DR | Msr.SF).exec("mtmsr r3");
        assertThat(t.cpu.msr).as("SF stays, DR set, FP cleared").isEqualTo(Msr.SF | Msr.ME | Msr.DR);
        t.cpu.setMsr(Msr.KERNEL_ENTRY);
        t.cpu.lr = 0x3003;
        t.cpu.ctr = Msr.SF | Msr.PR | Msr.LE;
        t.code("rfscv");
        t.run(1);
        assertThat(t.cpu.nia).isEqualTo(0x3000);
        assertThat(t.cpu.msr).isEqualTo(Msr.SF | Msr.PR | Msr.LE | Msr.ME | Msr.EE | Msr.IR | Msr.DR);
    }

    /** Book III's privileged instructions a table may hold (the MMU's included once it adds them). */
    private static final java.util.Set<String> PRIVILEGED = java.util.Set.of("MFMSR", "MTMSR", "MTMSRD", "RFID",
            "RFSCV", "HRFID", "SLBMTE", "SLBMFEE", "SLBMFEV", "SLBIE", "SLBIEG", "SLBIA", "SLBSYNC", "SLBFEE.",
            "TLBIE", "TLBIEL", "TLBSYNC", "MSGSNDP", "MSGCLRP", "MSGSND", "MSGCLR", "STOP", "DCBI");

    @Test
    void everyPrivilegedInstructionOfTheTableIsMarkedAndNothingElse() {
        for (dev.pvm.engine.cpu.isa.InsnPattern row : dev.pvm.engine.cpu.isa.IsaTable.ppc64().patterns()) {
            assertThat(row.privileged()).as(row.mnemonic()).isEqualTo(PRIVILEGED.contains(row.mnemonic()));
        }
    }

    @Test
    void hrfidIsPrivilegedForAGuestKernel() {
        t.code("hrfid");
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt).isEqualTo(new GuestInterrupt.Program(
                GuestInterrupt.ProgramReason.PRIVILEGED_INSTRUCTION, "hrfid needs hypervisor state"));
    }

    @Test
    void mtmsrdLeavesLeMeAndHvAlone() {
        t.cpu.setMsr(Msr.KERNEL_ENTRY);
        t.set(3, Msr.LE | Msr.HV | Msr.RI).exec("mtmsrd r3");
        assertThat(t.cpu.msr).as("SF cleared, RI set, ME kept, LE and HV not set").isEqualTo(Msr.ME | Msr.RI);
        assertThat(t.cpu.eaMask).isEqualTo(0xffff_ffffL);
    }

    @Test
    void rfidSwitchesByteOrderAndJumps() {
        t.cpu.srr0 = 0x2001;
        t.cpu.srr1 = Msr.KERNEL_ENTRY | Msr.LE | Msr.HV;
        t.cpu.setMsr(Msr.KERNEL_ENTRY);
        t.code("rfid");
        t.run(1);
        assertThat(t.cpu.msr).isEqualTo(Msr.KERNEL_ENTRY | Msr.LE);
        assertThat(t.cpu.littleEndian).isTrue();
        assertThat(t.cpu.nia).isEqualTo(0x2000);
        // The next instruction is fetched little-endian.
        t.memory.store32(0x2000, 0x38600007, ByteOrder.LITTLE_ENDIAN); // li r3,7
        t.run(1);
        assertThat(t.r(3)).isEqualTo(7);
    }

    @Test
    void rfidCannotClearMachineCheckEnableOutsideHypervisorState() {
        t.cpu.srr0 = 0x2000;
        t.cpu.srr1 = Msr.SF | Msr.PR;
        t.code("rfid");
        t.run(1);
        assertThat(t.cpu.msr).isEqualTo(Msr.SF | Msr.PR | Msr.ME | Msr.EE | Msr.IR | Msr.DR);
    }

    @Test
    void privilegedInstructionsInProblemStateTakeAProgramInterrupt() {
        t.cpu.setMsr(Msr.SF | Msr.PR);
        t.code("mfmsr r3");
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt).isEqualTo(
                new GuestInterrupt.Program(GuestInterrupt.ProgramReason.PRIVILEGED_INSTRUCTION, ""));
    }
}
