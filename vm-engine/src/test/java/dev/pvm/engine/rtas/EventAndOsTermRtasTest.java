package dev.pvm.engine.rtas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.RamRegion;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventAndOsTermRtasTest {

    private static final long ARGS = 0x1000;

    private final AddressSpace memory = new AddressSpace(List.of(RamRegion.allocate(0, 1 << 16)));
    private final RtasTable table = new RtasTable(memory);
    private final List<String> terminations = new ArrayList<>();

    EventAndOsTermRtasTest() {
        EventRtas.register(table);
        OsTermRtas.register(table, memory, terminations::add);
    }

    @AfterEach
    void close() {
        memory.close();
    }

    private int call(int token, int nret, int... args) {
        memory.store32(ARGS, token, ByteOrder.BIG_ENDIAN);
        memory.store32(ARGS + 4, args.length, ByteOrder.BIG_ENDIAN);
        memory.store32(ARGS + 8, nret, ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < args.length; i++) {
            memory.store32(ARGS + 12 + 4L * i, args[i], ByteOrder.BIG_ENDIAN);
        }
        memory.store32(ARGS + 12 + 4L * args.length, 0x5555, ByteOrder.BIG_ENDIAN);
        CpuState cpu = new CpuState(0);
        cpu.gpr[4] = ARGS;
        table.hcall(cpu);
        return memory.load32(ARGS + 12 + 4L * args.length, ByteOrder.BIG_ENDIAN);
    }

    @Test
    void eventScanAndCheckExceptionFindNoEvents() {
        assertThat(call(RtasService.EVENT_SCAN.token(), 1, 0, 0, 0x2000, 0x800))
                .isEqualTo(EventRtas.NO_ERRORS_FOUND);
        assertThat(call(RtasService.EVENT_SCAN.token(), 1, 0, 0)).isEqualTo(RtasStatus.PARAMETER_ERROR);
        assertThat(call(RtasService.CHECK_EXCEPTION.token(), 1, 0x500, 0x1000, 0, 0x2000, 0x800, 0))
                .isEqualTo(EventRtas.NO_ERRORS_FOUND);
        assertThat(call(RtasService.CHECK_EXCEPTION.token(), 1, 0x500, 0x1000, 0, 0x2000, 0x800, 0, 0))
                .isEqualTo(EventRtas.NO_ERRORS_FOUND);
        assertThat(call(RtasService.CHECK_EXCEPTION.token(), 1, 0x500)).isEqualTo(RtasStatus.PARAMETER_ERROR);
    }

    @Test
    void osTermRecordsTheMessageAndReturns() {
        memory.write(0x3000, "Kernel panic - not syncing: test\0".getBytes(StandardCharsets.US_ASCII));
        assertThat(call(RtasService.OS_TERM.token(), 1, 0x3000)).isEqualTo(RtasStatus.SUCCESS);
        assertThat(terminations).containsExactly("Kernel panic - not syncing: test");
        memory.fill(0x8000, 0x8000, (byte) 'x');
        assertThat(call(RtasService.OS_TERM.token(), 1, 0xfff0)).as("message running off RAM")
                .isEqualTo(RtasStatus.SUCCESS);
        assertThat(terminations.get(1)).hasSize(16);
        assertThat(call(RtasService.OS_TERM.token(), 1, 0x8000)).isEqualTo(RtasStatus.SUCCESS);
        assertThat(terminations.get(2)).hasSize(OsTermRtas.MESSAGE_LIMIT);
    }

    @Test
    void unknownTokensAreParameterErrors() {
        assertThat(call(0x2013, 1)).isEqualTo(RtasStatus.PARAMETER_ERROR);
        assertThat(call(0x7777, 1)).isEqualTo(RtasStatus.PARAMETER_ERROR);
    }
}
