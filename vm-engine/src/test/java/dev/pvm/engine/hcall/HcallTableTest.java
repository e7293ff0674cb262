package dev.pvm.engine.hcall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.cpu.CpuState;
import org.junit.jupiter.api.Test;

class HcallTableTest {

    private final HcallTable table = new HcallTable();
    private final CpuState cpu = new CpuState(0);

    @Test
    void dispatchesByNumberAndPutsTheStatusInR3() {
        table.register(0x58, "H_PUT_TERM_CHAR", "hcall-term", c -> {
            c.gpr[4] = c.gpr[5] + 1;
            return HcallStatus.H_SUCCESS;
        });
        cpu.gpr[3] = 0x58;
        cpu.gpr[5] = 41;
        table.hypercall(cpu);
        assertThat(cpu.gpr[3]).isZero();
        assertThat(cpu.gpr[4]).isEqualTo(42);
    }

    @Test
    void countsCallsByNameForTheOnesMade() {
        table.register(0x58, "H_PUT_TERM_CHAR", "hcall-term", c -> HcallStatus.H_SUCCESS);
        table.register(0x54, "H_GET_TERM_CHAR", "hcall-term", c -> HcallStatus.H_SUCCESS);
        table.register(0x28, "H_SET_DABR", "hcall-dabr", c -> HcallStatus.H_SUCCESS);
        for (long n : new long[] {0x58, 0x28, 0x58, 0x1234}) {
            cpu.gpr[3] = n;
            table.hypercall(cpu);
        }
        assertThat(table.callCounts()).containsExactly(java.util.Map.entry("H_PUT_TERM_CHAR", 2L),
                java.util.Map.entry("H_SET_DABR", 1L));
    }

    @Test
    void unknownHypercallsAnswerHFunction() {
        cpu.gpr[3] = 0x1234;
        table.hypercall(cpu);
        assertThat(cpu.gpr[3]).isEqualTo(-2);
        cpu.gpr[3] = 0x1234;
        table.hypercall(cpu);
        assertThat(cpu.gpr[3]).as("every time, though logged once").isEqualTo(-2);
    }

    @Test
    void advertisesEachRegisteredFunctionSetOnceInQemuOrder() {
        table.register(0x2c, "H_PAGE_INIT", "hcall-copy", c -> HcallStatus.H_SUCCESS);
        table.register(0x58, "H_PUT_TERM_CHAR", "hcall-term", c -> HcallStatus.H_SUCCESS);
        table.register(0x28, "H_SET_DABR", "hcall-dabr", c -> HcallStatus.H_SUCCESS);
        table.register(0x54, "H_GET_TERM_CHAR", "hcall-term", c -> HcallStatus.H_SUCCESS);
        table.register(0x400, "H_FUTURE", "hcall-future", c -> HcallStatus.H_SUCCESS);
        table.register(0x300, "H_RANDOM", null, c -> HcallStatus.H_SUCCESS);
        table.register(0xf000, "H_RTAS", null, c -> HcallStatus.H_SUCCESS);
        assertThat(table.functionSets()).containsExactly("hcall-term", "hcall-dabr", "hcall-copy", "hcall-future");
        assertThat(table.registered()).containsKeys(0x58L, 0x28L, 0x54L, 0x300L, 0xf000L);
    }

    @Test
    void aBadGuestAddressInAHandlerAnswersHParameter() {
        table.register(0x3c, "H_LOGICAL_CI_LOAD", "hcall-debug", c -> {
            throw new dev.pvm.engine.memory.GuestMemoryAccessException(c.gpr[5], 8, false);
        });
        cpu.gpr[3] = 0x3c;
        cpu.gpr[5] = 1L << 50;
        table.hypercall(cpu);
        assertThat(cpu.gpr[3]).isEqualTo(HcallStatus.H_PARAMETER.code());
    }

    @Test
    void refusesBadRegistrations() {
        table.register(0x58, "H_PUT_TERM_CHAR", "hcall-term", c -> HcallStatus.H_SUCCESS);
        assertThatThrownBy(() -> table.register(0x58, "AGAIN", "hcall-term", c -> HcallStatus.H_SUCCESS))
                .hasMessageContaining("registered twice");
        assertThatThrownBy(() -> table.register(0x59, "ODD", "hcall-term", c -> HcallStatus.H_SUCCESS))
                .hasMessageContaining("multiple of 4");
        assertThatThrownBy(() -> table.register(0xf004, "PRIVATE", "hcall-x", c -> HcallStatus.H_SUCCESS))
                .hasMessageContaining("function set");
    }
}
