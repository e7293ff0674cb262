package dev.pvm.engine.rtas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.devices.vty.SpaprVty;
import dev.pvm.engine.hcall.HcallStatus;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.RamRegion;
import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RtasTableTest {

    private static final long ARGS = 0x1000;

    private final AddressSpace memory = new AddressSpace(List.of(RamRegion.allocate(0, 1 << 16)));
    private final RtasTable table = new RtasTable(memory);
    private final List<String> power = new ArrayList<>();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final CpuState cpu = new CpuState(0);
    private final List<Integer> started = new ArrayList<>();
    private final List<List<Long>> starts = new ArrayList<>();
    private final List<Integer> stopped = new ArrayList<>();

    RtasTableTest() {
        PowerRtas.register(table, new PowerControl() {
            @Override
            public void requestPowerOff() {
                power.add("off");
            }

            @Override
            public void requestReset() {
                power.add("reset");
            }
        });
        TimeOfDayRtas.register(table, Clock.fixed(Instant.parse("2025-01-02T03:04:05.000000006Z"), ZoneOffset.UTC));
        ConsoleRtas.register(table, new SpaprVty(SpaprVty.DEFAULT_REG, console::write));
        CpuRtas.register(table, new CpuControl() {
            @Override
            public int cpuCount() {
                return 2;
            }

            @Override
            public boolean running(int id) {
                return id == 0 || started.contains(id);
            }

            @Override
            public boolean start(int id, long entry, long r3) {
                if (running(id)) {
                    return false;
                }
                started.add(id);
                starts.add(List.of((long) id, entry, r3));
                return true;
            }

            @Override
            public void stopSelf(CpuState caller) {
                stopped.add(caller.index);
            }
        });
    }

    @AfterEach
    void close() {
        memory.close();
    }

    /** Writes the argument buffer, makes the H_RTAS call, returns the hypercall status. */
    private long call(RtasService service, int nret, int... args) {
        return call(service.token(), nret, args);
    }

    private long call(int token, int nret, int... args) {
        memory.store32(ARGS, token, ByteOrder.BIG_ENDIAN);
        memory.store32(ARGS + 4, args.length, ByteOrder.BIG_ENDIAN);
        memory.store32(ARGS + 8, nret, ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < args.length; i++) {
            memory.store32(ARGS + 12 + 4L * i, args[i], ByteOrder.BIG_ENDIAN);
        }
        for (int i = 0; i < nret; i++) {
            memory.store32(ARGS + 12 + 4L * (args.length + i), 0x5555, ByteOrder.BIG_ENDIAN);
        }
        cpu.gpr[4] = ARGS;
        return table.hcall(cpu).code();
    }

    private int ret(int nargs, int i) {
        return memory.load32(ARGS + 12 + 4L * (nargs + i), ByteOrder.BIG_ENDIAN);
    }

    @Test
    void powerOffChecksItsArgumentsThenAsksTheMachine() {
        assertThat(call(RtasService.POWER_OFF, 1, -1)).isZero();
        assertThat(ret(1, 0)).isEqualTo(RtasStatus.PARAMETER_ERROR);
        assertThat(power).isEmpty();
        assertThat(call(RtasService.POWER_OFF, 1, -1, -1)).isZero();
        assertThat(ret(2, 0)).isEqualTo(RtasStatus.SUCCESS);
        assertThat(call(RtasService.SYSTEM_REBOOT, 1)).isZero();
        assertThat(power).containsExactly("off", "reset");
    }

    @Test
    void timeOfDayReadsTheClockAndKeepsTheGuestsOffset() {
        assertThat(call(RtasService.GET_TIME_OF_DAY, 8)).isZero();
        assertThat(List.of(ret(0, 0), ret(0, 1), ret(0, 2), ret(0, 3), ret(0, 4), ret(0, 5), ret(0, 6), ret(0, 7)))
                .containsExactly(0, 2025, 1, 2, 3, 4, 5, 6);
        assertThat(call(RtasService.SET_TIME_OF_DAY, 1, 2030, 6, 7, 8, 9, 10, 0)).isZero();
        assertThat(ret(7, 0)).isZero();
        call(RtasService.GET_TIME_OF_DAY, 8);
        assertThat(List.of(ret(0, 1), ret(0, 2), ret(0, 3), ret(0, 4), ret(0, 5), ret(0, 6)))
                .containsExactly(2030, 6, 7, 8, 9, 10);
        assertThat(call(RtasService.SET_TIME_OF_DAY, 1, 2030, 13, 7, 8, 9, 10, 0)).isZero();
        assertThat(ret(7, 0)).as("month 13").isEqualTo(RtasStatus.PARAMETER_ERROR);
    }

    @Test
    void displayCharacterAndCpuState() {
        call(RtasService.DISPLAY_CHARACTER, 1, 'X');
        assertThat(console.toString()).isEqualTo("X");
        assertThat(call(RtasService.QUERY_CPU_STOPPED_STATE, 2, 0)).isZero();
        assertThat(ret(1, 1)).isEqualTo(CpuRtas.RUNNING);
        call(RtasService.QUERY_CPU_STOPPED_STATE, 2, 1);
        assertThat(ret(1, 1)).isEqualTo(CpuRtas.STOPPED);
        call(RtasService.QUERY_CPU_STOPPED_STATE, 2, 7);
        assertThat(ret(1, 0)).isEqualTo(RtasStatus.PARAMETER_ERROR);
    }

    @Test
    void startCpuStartsAStoppedCpuOnceAndStopSelfNamesTheCaller() {
        assertThat(call(RtasService.START_CPU, 1, 1, 0x8000_0060, 5)).isZero();
        assertThat(ret(3, 0)).isEqualTo(RtasStatus.SUCCESS);
        assertThat(starts).containsExactly(List.of(1L, 0x8000_0060L, 5L));
        call(RtasService.QUERY_CPU_STOPPED_STATE, 2, 1);
        assertThat(ret(1, 1)).isEqualTo(CpuRtas.RUNNING);
        call(RtasService.START_CPU, 1, 1, 0x100, 0);
        assertThat(ret(3, 0)).as("already running").isEqualTo(RtasStatus.HARDWARE_ERROR);
        call(RtasService.START_CPU, 1, 2, 0x100, 0);
        assertThat(ret(3, 0)).as("no such CPU").isEqualTo(RtasStatus.PARAMETER_ERROR);
        call(RtasService.START_CPU, 1, 1, 0x100);
        assertThat(ret(2, 0)).as("wrong shape").isEqualTo(RtasStatus.PARAMETER_ERROR);
        call(RtasService.STOP_SELF, 0);
        assertThat(stopped).containsExactly(cpu.index);
    }

    @Test
    void unknownTokensAndBadBuffers() {
        assertThat(call(RtasService.NVRAM_FETCH, 1, 1, 0, 0)).isEqualTo(HcallStatus.H_PARAMETER.code());
        assertThat(ret(3, 0)).isEqualTo(RtasStatus.PARAMETER_ERROR);
        cpu.gpr[4] = 0x10_0000;
        assertThat(table.hcall(cpu)).isEqualTo(HcallStatus.H_PARAMETER);
    }

    @Test
    void advertisesOnlyWhatIsRegisteredWithQemusTokens() {
        assertThat(table.tokens()).containsExactly(
                java.util.Map.entry("display-character", 0x2000),
                java.util.Map.entry("get-time-of-day", 0x2001),
                java.util.Map.entry("set-time-of-day", 0x2002),
                java.util.Map.entry("power-off", 0x2003),
                java.util.Map.entry("system-reboot", 0x2004),
                java.util.Map.entry("query-cpu-stopped-state", 0x2005),
                java.util.Map.entry("start-cpu", 0x2006),
                java.util.Map.entry("stop-self", 0x2007));
        for (RtasService s : RtasService.values()) {
            assertThat(table.isRegistered(s)).isEqualTo(table.tokens().containsKey(s.propertyName()));
        }
    }

    @Test
    void entryStubIsQemusFiveInstructions() {
        byte[] stub = RtasFirmware.image(new dev.pvm.engine.cpu.asm.InsnAssembler(
                dev.pvm.engine.cpu.isa.IsaTable.ppc64()));
        assertThat(java.util.HexFormat.of().formatHex(stub)).isEqualTo("7c641b783c6000006063f000440000224e800020");
    }
}
