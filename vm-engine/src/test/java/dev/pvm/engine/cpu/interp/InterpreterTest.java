package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.testing.TestResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InterpreterTest {

    private final TestCpu t = TestCpu.bigEndian();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void stopsAtAnIllegalWordWithoutCountingIt() {
        t.code("addi r3,0,1").word(0).code("addi r3,0,2");
        assertThat(t.run(10)).isEqualTo(1);
        assertThat(t.cpu.pendingInterrupt).isEqualTo(
                new GuestInterrupt.Program(GuestInterrupt.ProgramReason.ILLEGAL_INSTRUCTION, ""));
        assertThat(t.cpu.cia).isEqualTo(TestCpu.CODE + 4);
        assertThat(t.cpu.instructions).isEqualTo(1);
    }

    @Test
    void respectsTheBudget() {
        t.code("addi r3,r3,1", "addi r3,r3,1", "addi r3,r3,1");
        assertThat(t.run(2)).isEqualTo(2);
        assertThat(t.r(3)).isEqualTo(2);
        assertThat(t.cpu.nia).isEqualTo(TestCpu.CODE + 8);
    }

    @Test
    void refusesToRunOverAnUndeliveredInterrupt() {
        t.cpu.raise(new GuestInterrupt.SystemCall(0));
        assertThatThrownBy(() -> t.run(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("undelivered interrupt");
    }

    @Test
    void fetchingFromUnbackedMemoryIsAMachineCheck() {
        t.cpu.nia = 0x4000_0000L;
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt).isEqualTo(
                new GuestInterrupt.MachineCheck(0x4000_0000L, 4, "instruction fetch"));
    }

    @Test
    void relocationIsReportedUntilTheMmuExists() {
        t.cpu.setMsr(Msr.KERNEL_ENTRY | Msr.IR);
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.InstructionStorage.class);
        t.cpu.pendingInterrupt = null;
        t.cpu.setMsr(Msr.KERNEL_ENTRY | Msr.DR);
        t.code("ld r3,0(r1)");
        t.cpu.nia = TestCpu.CODE;
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.DataStorage.class);
    }

    @Test
    void littleEndianCodeRuns() {
        try (TestCpu le = TestCpu.littleEndian()) {
            le.set(4, 40).exec("addi r3,r4,2");
            assertThat(le.r(3)).isEqualTo(42);
        }
    }

    @Test
    void aTableWithoutSemanticsForTheBoundRowsIsRejected() {
        IsaTable other = IsaTable.parse(TestResources.text("/isa/tables/ok_minimal.isa"), "ok_minimal");
        assertThatThrownBy(() -> new Interpreter(new Decoder(other), t.memory, s -> { }, () -> 0, CpuModel.POWER9))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("semantics for", "which ok_minimal lacks");
    }
}
