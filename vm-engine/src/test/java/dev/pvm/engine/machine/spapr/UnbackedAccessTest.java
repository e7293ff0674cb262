package dev.pvm.engine.machine.spapr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.mmu.RadixTables;
import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.machine.MmuMode;
import dev.pvm.engine.machine.RunOutcome;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A guest's load, store or instruction fetch at a guest physical address nothing backs, in real mode and through a
 * radix translation to such an address: a machine check at 0x200 with POWER9's cause bits in SRR1 (bit 42 for a
 * load or store, 36/43/45 more for a store, 36/44/45 for a fetch), DAR = the effective address and DSISR bit 57
 * for a load, as QEMU's ppc_cpu_do_transaction_failed reports them. The handler saves SRR0, SRR1, DAR and DSISR.
 */
class UnbackedAccessTest {

    /** Past the machine's 256 MiB of RAM. */
    private static final long UNBACKED = 0x2000_0000L;
    /** Translated accesses use this EA, mapped onto {@link #UNBACKED}. */
    private static final long MAPPED = 0x10_0000;
    private static final long SRR1_LOAD_STORE = 1L << (63 - 42);
    private static final long SRR1_STORE = 1L << (63 - 36) | 1L << (63 - 43) | 1L << (63 - 45);
    private static final long SRR1_FETCH = 1L << (63 - 36) | 1L << (63 - 44) | 1L << (63 - 45);
    private static final long SRR1_CAUSE = 0x783F_0000L;

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (ExecutionMode mode : List.of(ExecutionMode.INTERPRETER, ExecutionMode.TRANSLATOR)) {
            for (String access : List.of("load", "store", "fetch")) {
                out.add(Arguments.of(mode, access, false));
                out.add(Arguments.of(mode, access, true));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} translated={2}")
    @MethodSource("cases")
    void anUnbackedAccessIsAMachineCheckWithPower9CauseBits(ExecutionMode mode, String access, boolean translated)
            throws Exception {
        long ea = translated ? MAPPED + 0x18 : UNBACKED + 0x18;
        List<String> boot = new ArrayList<>();
        if (translated) {
            boot.addAll(List.of("mfmsr r9", "ori r9,r9,0x30", "mtmsrd r9,0"));
        }
        boot.addAll(GuestProgram.load64("r5", ea));
        boot.addAll(switch (access) {
            case "load" -> List.of("ld r6,0(r5)");
            case "store" -> List.of("std r6,0(r5)");
            default -> List.of("mtspr 9,r5", "bcctr 20,0");
        });
        boot.add("b .");
        List<String> handler = new ArrayList<>(List.of(
                "mfspr r20,26", "std r20,0x3000(0)", "mfspr r20,27", "std r20,0x3008(0)",
                "mfspr r20,19", "std r20,0x3010(0)", "mfspr r20,18", "std r20,0x3018(0)"));
        handler.addAll(GuestProgram.powerOff());
        GuestProgram program = new GuestProgram().at(0, boot).at(0x200, handler);
        try (SpaprMachine m = program.machine(dir, 1, MmuMode.RADIX, mode)) {
            if (translated) {
                long rw = RadixTables.R | RadixTables.C | RadixTables.READ_WRITE | RadixTables.EXECUTE;
                RadixTables tables = GuestProgram.identityTables(m.memory(), rw);
                tables.map(0, MAPPED, UNBACKED, 16, rw);
                m.mmu().registerProcessTable(null, 0x8000_0000_0000_0000L | tables.processTable(), true, true);
            }
            RunOutcome o = RunOutcome.CONTINUE;
            for (int i = 0; i < 100 && o instanceof RunOutcome.Continue; i++) {
                o = m.run(10_000);
            }
            assertThat(o).isEqualTo(RunOutcome.POWERED_OFF);
            long srr0 = m.memory().load64(0x3000, ByteOrder.BIG_ENDIAN);
            long srr1 = m.memory().load64(0x3008, ByteOrder.BIG_ENDIAN);
            long dar = m.memory().load64(0x3010, ByteOrder.BIG_ENDIAN);
            long dsisr = m.memory().load64(0x3018, ByteOrder.BIG_ENDIAN);
            switch (access) {
                case "load" -> {
                    assertThat(srr1 & SRR1_CAUSE).isEqualTo(SRR1_LOAD_STORE);
                    assertThat(dar).isEqualTo(ea);
                    assertThat(dsisr).isEqualTo(1L << (63 - 57));
                }
                case "store" -> {
                    assertThat(srr1 & SRR1_CAUSE).isEqualTo(SRR1_LOAD_STORE | SRR1_STORE);
                    assertThat(dar).isEqualTo(ea);
                }
                default -> {
                    assertThat(srr1 & SRR1_CAUSE).isEqualTo(SRR1_FETCH);
                    assertThat(srr0).as("SRR0: the instruction that could not be fetched").isEqualTo(ea);
                }
            }
            assertThat(srr1 & 0x30).as("SRR1 keeps the interrupted MSR's IR/DR").isEqualTo(translated ? 0x30 : 0);
        }
    }
}
