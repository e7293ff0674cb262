package dev.pvm.engine.machine.spapr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.hcall.HcallStatus;
import dev.pvm.engine.loader.BuiltinGuest;
import dev.pvm.engine.machine.BootSource;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MemoryNode;
import dev.pvm.engine.machine.NumaProperties;
import dev.pvm.engine.rtas.RtasService;
import dev.pvm.engine.rtas.RtasTable;
import java.nio.ByteOrder;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hypercalls and RTAS calls with random arguments, as a broken or hostile guest might make them: every
 * registered call on a two-vCPU machine answers with a PAPR status and never lets an exception escape into the
 * engine. Arguments mix random bits with the values handlers treat specially (0, -1, small sizes, RAM edges).
 */
class HypervisorRandomArgumentsTest {

    private static final long RAM = 64L << 20;
    private static final long[] EDGES = {0, 1, 2, 4, 8, -1, 0xff, 0x1000, 0x1100, RAM - 8, RAM, 1L << 63,
            0x0000_2000_0000_0000L, 0x0000_6000_0000_0000L, 0x0000_4000_0000_0000L, 1L << 15};

    private static long argument(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextLong();
            case 1 -> random.nextInt(0x10000) & ~7;
            default -> EDGES[random.nextInt(EDGES.length)];
        };
    }

    /** One machine for both tests: creating the first one in a JVM costs seconds (ISA tables, translator). */
    private static SpaprMachine m;

    @BeforeAll
    static void machine() {
        MachineConfig config = new MachineConfig("fuzz", "pseries", 2,
                List.of(new MemoryNode(0, 0, RAM, List.of())), NumaProperties.NONE,
                new BootSource.Builtin(BuiltinGuest.HELLO));
        m = SpaprMachine.create(config, (b, o, l) -> { }, Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        m.close();
    }

    @Test
    void everyHypercallSurvivesRandomArguments() {
        Set<Long> statuses = Arrays.stream(HcallStatus.values()).map(HcallStatus::code).collect(Collectors.toSet());
        Random random = new Random(6);
        for (long number : m.hcalls().registered().keySet()) {
            for (int round = 0; round < 200; round++) {
                CpuState cpu = m.cpu(random.nextInt(2));
                cpu.gpr[3] = number;
                for (int r = 4; r <= 12; r++) {
                    cpu.gpr[r] = argument(random);
                }
                m.hcalls().hypercall(cpu);
                assertThat(statuses).as("hcall 0x%x", number).contains(cpu.gpr[3]);
            }
        }
        // Numbers nobody registered, including odd and huge ones.
        for (int round = 0; round < 200; round++) {
            CpuState cpu = m.cpu(0);
            cpu.gpr[3] = argument(random);
            if (!m.hcalls().isRegistered(cpu.gpr[3])) {
                m.hcalls().hypercall(cpu);
                assertThat(cpu.gpr[3]).isEqualTo(HcallStatus.H_FUNCTION.code());
            }
        }
    }

    @Test
    void everyRtasTokenSurvivesRandomBuffers() {
        Random random = new Random(7);
        long buffer = 0x10000;
        for (RtasService service : RtasService.values()) {
            for (int round = 0; round < 120; round++) {
                int nargs = random.nextInt(10);
                int nret = random.nextInt(10);
                m.memory().store32(buffer, service.token(), ByteOrder.BIG_ENDIAN);
                m.memory().store32(buffer + 4, random.nextInt(20) == 0 ? random.nextInt() : nargs,
                        ByteOrder.BIG_ENDIAN);
                m.memory().store32(buffer + 8, random.nextInt(20) == 0 ? random.nextInt() : nret,
                        ByteOrder.BIG_ENDIAN);
                for (int i = 0; i < nargs; i++) {
                    m.memory().store32(buffer + 12 + 4L * i, (int) argument(random), ByteOrder.BIG_ENDIAN);
                }
                CpuState cpu = m.cpu(0);
                cpu.gpr[3] = RtasTable.H_RTAS;
                cpu.gpr[4] = random.nextInt(50) == 0 ? argument(random) : buffer;
                m.hcalls().hypercall(cpu);
                assertThat(cpu.gpr[3]).as(service.propertyName()).isIn(HcallStatus.H_SUCCESS.code(),
                        HcallStatus.H_PARAMETER.code());
            }
        }
    }
}
