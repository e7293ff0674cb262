package dev.pvm.engine.hcall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.devices.vty.SpaprVty;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TermHcallsTest {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final SpaprVty vty = new SpaprVty(SpaprVty.DEFAULT_REG, console::write);
    private final HcallTable table = new HcallTable();
    private final CpuState cpu = new CpuState(0);

    TermHcallsTest() {
        TermHcalls.register(table, List.of(vty));
    }

    private long put(long termno, long length, long hi, long lo) {
        cpu.gpr[3] = TermHcalls.H_PUT_TERM_CHAR;
        cpu.gpr[4] = termno;
        cpu.gpr[5] = length;
        cpu.gpr[6] = hi;
        cpu.gpr[7] = lo;
        table.hypercall(cpu);
        return cpu.gpr[3];
    }

    @Test
    void putUnpacksBytesBigEndianFirstByteHighest() {
        assertThat(put(0x71000000, 10, 0x4865_6c6c_6f2c_2077L, 0x6f72_0000_0000_0000L)).isZero();
        assertThat(console.toString(StandardCharsets.US_ASCII)).isEqualTo("Hello, wor");
    }

    @Test
    void terminalZeroIsTheFirstVty() {
        assertThat(put(0, 1, 0x2100_0000_0000_0000L, 0)).isZero();
        assertThat(console.toString(StandardCharsets.US_ASCII)).isEqualTo("!");
    }

    @Test
    void rejectsUnknownTerminalsAndOverlongWrites() {
        assertThat(put(0x71000001, 1, 0, 0)).isEqualTo(HcallStatus.H_PARAMETER.code());
        assertThat(put(0x71000000, 17, 0, 0)).isEqualTo(HcallStatus.H_PARAMETER.code());
        assertThat(put(0x71000000, 0, 0, 0)).isZero();
        assertThat(console.size()).isZero();
    }

    @Test
    void getPacksWaitingInputUpToSixteenBytes() {
        vty.feed("0123456789abcdefXYZ".getBytes(StandardCharsets.US_ASCII));
        cpu.gpr[3] = TermHcalls.H_GET_TERM_CHAR;
        cpu.gpr[4] = 0x71000000;
        table.hypercall(cpu);
        assertThat(cpu.gpr[3]).isZero();
        assertThat(cpu.gpr[4]).isEqualTo(16);
        assertThat(cpu.gpr[5]).isEqualTo(0x3031_3233_3435_3637L);
        assertThat(cpu.gpr[6]).isEqualTo(0x3839_6162_6364_6566L);
        cpu.gpr[3] = TermHcalls.H_GET_TERM_CHAR;
        cpu.gpr[4] = 0x71000000;
        table.hypercall(cpu);
        assertThat(cpu.gpr[4]).isEqualTo(3);
        assertThat(cpu.gpr[5]).isEqualTo(0x5859_5a00_0000_0000L);
        cpu.gpr[3] = TermHcalls.H_GET_TERM_CHAR;
        cpu.gpr[4] = 0;
        table.hypercall(cpu);
        assertThat(cpu.gpr[3]).isZero();
        assertThat(cpu.gpr[4]).as("nothing waiting").isZero();
    }
}
