package dev.pvm.engine.cpu.interrupt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Fscr;
import dev.pvm.engine.cpu.Msr;
import org.junit.jupiter.api.Test;

/** Vectors, SRR0/SRR1, DAR/DSISR and the new MSR per interrupt kind (Book III chapter 7). */
class InterruptDeliveryTest {

    /** A kernel context: 64-bit, relocation on, interrupts on, FP/VMX/VSX in use, little-endian. */
    private static final long RUNNING = Msr.SF | Msr.EE | Msr.ME | Msr.FP | Msr.VEC | Msr.VSX | Msr.IR | Msr.DR
            | Msr.RI | Msr.LE;
    private static final long CIA = 0xc000_0000_0001_2340L;

    private final CpuState cpu = new CpuState(0);

    InterruptDeliveryTest() {
        cpu.setMsr(RUNNING);
        cpu.cia = CIA;
        cpu.nia = CIA + 4;
    }

    /** Delivers {@code i} raised by the instruction at {@link #CIA} (the MSR is whatever the test set). */
    private long deliver(GuestInterrupt i) {
        cpu.cia = CIA;
        cpu.nia = CIA + 4;
        return InterruptDelivery.deliver(cpu, i);
    }

    @Test
    void programInterruptSavesTheFaultingAddressAndItsReason() {
        assertThat(deliver(new GuestInterrupt.Program(GuestInterrupt.ProgramReason.PRIVILEGED_INSTRUCTION, "")))
                .isEqualTo(0x700);
        assertThat(cpu.srr0).isEqualTo(CIA);
        assertThat(cpu.srr1).isEqualTo(RUNNING | InterruptDelivery.SRR1_PROGRAM_PRIVILEGED);
        assertThat(cpu.nia).isEqualTo(0x700);
        assertThat(cpu.msr).as("64-bit, real mode, big-endian (ILE=0), ME kept").isEqualTo(Msr.SF | Msr.ME);
        assertThat(cpu.littleEndian).isFalse();
        for (var reason : new Object[][] {{GuestInterrupt.ProgramReason.ILLEGAL_INSTRUCTION, 1L << 19},
                {GuestInterrupt.ProgramReason.TRAP, 1L << 17},
                {GuestInterrupt.ProgramReason.FLOATING_POINT_ENABLED, 1L << 20}}) {
            cpu.setMsr(RUNNING);
            deliver(new GuestInterrupt.Program((GuestInterrupt.ProgramReason) reason[0], ""));
            assertThat(cpu.srr1).isEqualTo(RUNNING | (long) reason[1]);
        }
    }

    @Test
    void asynchronousInterruptsAndSystemCallReturnToTheNextInstruction() {
        assertThat(deliver(new GuestInterrupt.Decrementer())).isEqualTo(0x900);
        assertThat(cpu.srr0).isEqualTo(CIA + 4);
        cpu.setMsr(RUNNING);
        assertThat(deliver(new GuestInterrupt.External())).isEqualTo(0x500);
        assertThat(cpu.srr0).isEqualTo(CIA + 4);
        cpu.setMsr(RUNNING);
        assertThat(deliver(new GuestInterrupt.SystemCall(0))).isEqualTo(0xc00);
        assertThat(cpu.srr0).isEqualTo(CIA + 4);
        assertThat(cpu.srr1).isEqualTo(RUNNING);
    }

    @Test
    void storageInterruptsSetDarDsisrOrTheSrr1Reason() {
        long dsisr = GuestInterrupt.DataStorage.DSISR_NO_TRANSLATION | GuestInterrupt.DataStorage.DSISR_STORE;
        assertThat(deliver(new GuestInterrupt.DataStorage(0xdead_0000L, dsisr, "test"))).isEqualTo(0x300);
        assertThat(cpu.dar).isEqualTo(0xdead_0000L);
        assertThat(cpu.dsisr).isEqualTo(dsisr);
        assertThat(cpu.srr0).isEqualTo(CIA);
        cpu.setMsr(RUNNING);
        assertThat(deliver(new GuestInterrupt.DataSegment(0xbeef_0000L, "test"))).isEqualTo(0x380);
        assertThat(cpu.dar).isEqualTo(0xbeef_0000L);
        cpu.setMsr(RUNNING);
        assertThat(deliver(new GuestInterrupt.InstructionStorage(CIA,
                GuestInterrupt.InstructionStorage.SRR1_NO_EXECUTE, "test"))).isEqualTo(0x400);
        assertThat(cpu.srr1).isEqualTo(RUNNING | GuestInterrupt.InstructionStorage.SRR1_NO_EXECUTE);
        cpu.setMsr(RUNNING);
        assertThat(deliver(new GuestInterrupt.InstructionSegment(CIA, "test"))).isEqualTo(0x480);
        cpu.setMsr(RUNNING);
        assertThat(deliver(new GuestInterrupt.Alignment(0x1001, "test"))).isEqualTo(0x600);
        assertThat(cpu.dar).isEqualTo(0x1001);
    }

    @Test
    void unavailableAndFacilityInterrupts() {
        assertThat(deliver(new GuestInterrupt.FloatingPointUnavailable())).isEqualTo(0x800);
        assertThat(cpu.msr & (Msr.FP | Msr.VEC | Msr.VSX)).as("cleared").isZero();
        cpu.setMsr(RUNNING);
        assertThat(deliver(new GuestInterrupt.VectorUnavailable())).isEqualTo(0xf20);
        cpu.setMsr(RUNNING);
        assertThat(deliver(new GuestInterrupt.VsxUnavailable())).isEqualTo(0xf40);
        cpu.setMsr(RUNNING);
        cpu.fscr = Fscr.DSCR | (3L << Fscr.IC_SHIFT);
        assertThat(deliver(new GuestInterrupt.FacilityUnavailable(Fscr.TAR_CAUSE, "tar"))).isEqualTo(0xf60);
        assertThat(cpu.fscr).isEqualTo(Fscr.DSCR | ((long) Fscr.TAR_CAUSE << Fscr.IC_SHIFT));
        assertThat(cpu.srr0).isEqualTo(CIA);
    }

    @Test
    void interruptsRunLittleEndianWithIleAndRelocatedWithAil3() {
        cpu.lpcr = InterruptDelivery.LPCR_ILE | (3L << InterruptDelivery.LPCR_AIL_SHIFT);
        assertThat(deliver(new GuestInterrupt.Decrementer())).isEqualTo(0xc000_0000_0000_4900L);
        assertThat(cpu.msr).isEqualTo(Msr.SF | Msr.ME | Msr.LE | Msr.IR | Msr.DR);
        assertThat(cpu.littleEndian).isTrue();
        // Not from real mode: AIL applies only when the interrupted context had IR=DR=1.
        cpu.setMsr(RUNNING & ~Msr.DR);
        assertThat(deliver(new GuestInterrupt.Decrementer())).isEqualTo(0x900);
        assertThat(cpu.msr).isEqualTo(Msr.SF | Msr.ME | Msr.LE);
        // Never for machine check or system reset.
        cpu.setMsr(RUNNING);
        assertThat(deliver(new GuestInterrupt.MachineCheck(0x4000_0000L, 8, "load"))).isEqualTo(0x200);
        assertThat(cpu.msr).as("ME cleared").isEqualTo(Msr.SF | Msr.LE);
        cpu.setMsr(RUNNING);
        assertThat(deliver(new GuestInterrupt.SystemReset())).isEqualTo(0x100);
        assertThat(cpu.srr0).isEqualTo(CIA + 4);
        // AIL=2: 0x18000 + offset.
        cpu.lpcr = 2L << InterruptDelivery.LPCR_AIL_SHIFT;
        cpu.setMsr(RUNNING);
        assertThat(deliver(new GuestInterrupt.DataSegment(0, "t"))).isEqualTo(0x18380);
    }

    @Test
    void scvSavesNiaAndMsrInLrAndCtrAndKeepsEe() {
        long srr0 = cpu.srr0;
        assertThat(deliver(new GuestInterrupt.SystemCallVectored(2))).isEqualTo(0x17040);
        assertThat(cpu.lr).isEqualTo(CIA + 4);
        assertThat(cpu.ctr).isEqualTo(RUNNING);
        assertThat(cpu.srr0).as("untouched").isEqualTo(srr0);
        assertThat(cpu.msr).isEqualTo(Msr.SF | Msr.ME | Msr.EE | Msr.RI);
        cpu.lpcr = 3L << InterruptDelivery.LPCR_AIL_SHIFT;
        cpu.setMsr(RUNNING);
        assertThat(deliver(new GuestInterrupt.SystemCallVectored(0))).isEqualTo(0xc000_0000_0000_3000L);
    }

    @Test
    void machineCheckWithMeClearIsACheckstop() {
        cpu.setMsr(RUNNING & ~Msr.ME);
        assertThatThrownBy(() -> deliver(new GuestInterrupt.MachineCheck(0x4000_0000L, 4, "store")))
                .isInstanceOf(CheckstopException.class).hasMessageContaining("checkstop");
    }
}
