package dev.pvm.engine.machine.spapr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.asm.InsnAssembler;
import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.loader.BuiltinGuest;
import dev.pvm.engine.machine.BootSource;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MemoryNode;
import dev.pvm.engine.machine.MmuMode;
import dev.pvm.engine.machine.NumaProperties;
import dev.pvm.engine.machine.RunOutcome;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guest fuzzing: random guests must never crash the engine. Each case boots a two-vCPU machine (hash or radix),
 * puts a random instruction stream at 0x10000 and runs vCPU 0 on it with random registers and a random MSR
 * (SF, LE, IR, DR, PR, EE, FP, VEC, VSX, ME, RI) for a bounded number of instructions. Streams mix random words,
 * random valid encodings of the instruction table's rows, wild branches through CTR and LR (into RAM, unbacked
 * and unmapped addresses, huge ones), loads, stores, reservations and dcbz at such addresses, random mtmsrd and
 * mtspr, and hypercalls and RTAS calls with random arguments. Every interrupt vector returns past the faulting
 * instruction, so a case goes on after its interrupts.
 *
 * <p>Every case must end as a normal stop (its budget used, or the guest idle), a power-off or reboot the stream
 * asked for, or a clean guest failure report (a guest with no usable handler, a checkstop): never an exception out
 * of the machine, never an engine error, never a hang. Seeded and reproducible: {@code -Dpvm.fuzz.seed=N}
 * and {@code -Dpvm.fuzz.cases=N} (cases per mode; the default keeps CI to a few seconds) for long runs.
 */
class GuestFuzzTest {

    private static final long SEED = Long.getLong("pvm.fuzz.seed", 6);
    private static final int CASES = Integer.getInteger("pvm.fuzz.cases", 6);
    private static final long RAM = 64L << 20;
    private static final long CODE = 0x1_0000;
    private static final int BUDGET = 2_000;
    private static final int SLICES = 25;
    private static final IsaTable ISA = IsaTable.ppc64();
    private static final InsnAssembler ASM = new InsnAssembler(ISA);
    private static final long[] MSR_BITS = {Msr.SF, Msr.LE, Msr.IR, Msr.DR, Msr.PR, Msr.EE, Msr.FP, Msr.VEC,
        Msr.VSX, Msr.ME, Msr.RI};
    /** Addresses that matter: RAM, its end, unbacked physical space, kernel-quadrant and huge addresses. */
    private static final long[] ADDRESSES = {0, 0x100, 0x2000, CODE, CODE + 0x800, RAM - 8, RAM, RAM + 0x1000,
        0x4000_0000L, 0x1_0000_0000L, 0xC000_0000_0000_0000L, 0xC000_0000_0001_0000L, 0x8000_0000_0000_0000L, -8,
        0x0FFF_FFFF_FFFF_F000L};

    @ParameterizedTest
    @EnumSource(value = ExecutionMode.class, names = {"INTERPRETER", "TRANSLATOR", "LOCKSTEP"})
    void randomGuestsEndAsInterruptsFailuresOrStopsNeverAsEngineErrors(ExecutionMode mode) {
        Map<Kind, Integer> seen = new EnumMap<>(Kind.class);
        int cases = mode == ExecutionMode.LOCKSTEP ? Math.max(1, CASES / 3) : CASES;
        for (int c = 0; c < cases; c++) {
            long seed = SEED * 1_000_003L + mode.ordinal() * 7919L + c;
            Kind kind = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> runCase(mode, seed),
                    () -> "fuzz case " + seed + " (" + mode + ") hung");
            seen.merge(kind, 1, Integer::sum);
        }
        assertThat(seen.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(cases);
    }

    private enum Kind { STOPPED, POWERED_OFF, GUEST_FAILED }

    private static Kind runCase(ExecutionMode mode, long seed) {
        Random r = new Random(seed);
        MachineConfig config = new MachineConfig("fuzz", "pseries", 2, List.of(new MemoryNode(0, 0, RAM, List.of())),
                NumaProperties.NONE, new BootSource.Builtin(BuiltinGuest.HELLO),
                r.nextBoolean() ? MmuMode.HASH : MmuMode.RADIX);
        try (SpaprMachine m = SpaprMachine.create(config, (b, o, l) -> { }, Clock.systemUTC(), mode)) {
            CpuState cpu = m.cpu(0);
            long msr = Msr.SF;
            for (long bit : MSR_BITS) {
                if (r.nextInt(3) == 0) {
                    msr ^= bit;
                }
            }
            ByteOrder order = (msr & Msr.LE) != 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            installVectors(m, order);
            List<Integer> stream = stream(r, m, 64 + r.nextInt(448));
            for (int i = 0; i < stream.size(); i++) {
                m.memory().store32(CODE + 4L * i, stream.get(i), order);
            }
            for (int g = 0; g < 32; g++) {
                cpu.gpr[g] = value(r);
            }
            cpu.setMsr(msr);
            cpu.nia = CODE;
            RunOutcome outcome = RunOutcome.CONTINUE;
            for (int s = 0; s < SLICES && outcome instanceof RunOutcome.Continue; s++) {
                outcome = m.run(BUDGET);
            }
            return switch (outcome) {
                case RunOutcome.Continue c -> Kind.STOPPED;
                case RunOutcome.PoweredOff p -> Kind.POWERED_OFF;
                case RunOutcome.Failed f -> {
                    assertThat(f.reason()).as("case %d (%s)", seed, mode).doesNotContain("engine error");
                    yield Kind.GUEST_FAILED;
                }
            };
        }
    }

    /**
     * Every vector (0x100..0xfe0 in steps of 0x20, and scv's at 0x17000) returns to the instruction after SRR0:
     * the fuzz stream goes on after its interrupts.
     */
    private static void installVectors(SpaprMachine m, ByteOrder order) {
        int[] handler = {ASM.assemble("mfspr r28,26"), ASM.assemble("addi r28,r28,4"), ASM.assemble("mtspr 26,r28"),
            ASM.assemble("rfid")};
        for (long v = 0x100; v < 0x1000; v += 0x20) {
            writeWords(m, v, handler, order);
        }
        for (long v = 0x1_7000; v < 0x1_8000; v += 0x20) {
            writeWords(m, v, handler, order);
        }
    }

    private static void writeWords(SpaprMachine m, long address, int[] words, ByteOrder order) {
        for (int i = 0; i < words.length; i++) {
            m.memory().store32(address + 4L * i, words[i], order);
        }
    }

    private static long value(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextLong();
            case 1 -> r.nextInt(1 << 20);
            default -> ADDRESSES[r.nextInt(ADDRESSES.length)] + 8L * r.nextInt(4);
        };
    }

    /** A random stream of about {@code n} words. */
    private static List<Integer> stream(Random r, SpaprMachine m, int n) {
        List<Long> hcalls = new ArrayList<>(m.hcalls().registered().keySet());
        List<Integer> tokens = new ArrayList<>(m.rtas().tokens().values());
        List<InsnPattern> rows = ISA.patterns();
        List<Integer> out = new ArrayList<>();
        while (out.size() < n) {
            List<String> text = new ArrayList<>();
            switch (r.nextInt(10)) {
                case 0, 1 -> out.add(r.nextInt());
                case 2, 3, 4 -> out.add(validEncoding(r, rows.get(r.nextInt(rows.size()))));
                case 5 -> {
                    text.addAll(GuestProgram.load64("r29", value(r)));
                    boolean ctr = r.nextBoolean();
                    text.add(ctr ? "mtspr 9,r29" : "mtspr 8,r29");
                    text.add((ctr ? "bcctr 20,0" : "bclr 20,0") + (r.nextBoolean() ? "" : ",0"));
                }
                case 6 -> {
                    long number = r.nextInt(8) == 0 ? r.nextInt(0x1000) : hcalls.get(r.nextInt(hcalls.size()));
                    text.addAll(GuestProgram.load64("r3", number));
                    for (int reg = 4; reg <= 12; reg++) {
                        if (r.nextBoolean()) {
                            text.addAll(GuestProgram.load64("r" + reg, value(r)));
                        }
                    }
                    text.add("sc 1");
                }
                case 7 -> {
                    long buffer = r.nextInt(4) == 0 ? value(r) : 0x2000 + 8L * r.nextInt(64);
                    text.addAll(GuestProgram.load64("r4", buffer));
                    text.add("addi r5,0," + (r.nextInt(6) == 0 ? r.nextInt(0x7fff) : tokens.get(r.nextInt(
                            tokens.size()))));
                    text.add("addi r6,0," + r.nextInt(10));
                    text.add("addi r7,0," + r.nextInt(10));
                    text.addAll(List.of("stw r5,0(r4)", "stw r6,4(r4)", "stw r7,8(r4)"));
                    for (int a = 0; a < 6; a++) {
                        text.addAll(GuestProgram.load64("r8", value(r)));
                        text.add("stw r8," + (12 + 4 * a) + "(r4)");
                    }
                    text.addAll(List.of("addi r3,0,0", "ori r3,r3,0xf000", "sc 1"));
                }
                case 8 -> {
                    text.addAll(GuestProgram.load64("r29", r.nextBoolean() ? r.nextLong() : value(r)));
                    text.add(switch (r.nextInt(4)) {
                        case 0 -> "mtmsrd r29," + r.nextInt(2);
                        case 1 -> "mtspr 22,r29";
                        default -> "mtspr " + r.nextInt(1024) + ",r29";
                    });
                }
                default -> {
                    text.addAll(GuestProgram.load64("r29", value(r)));
                    text.add(List.of("ld r30,0(r29)", "std r30,0(r29)", "lwarx r30,0,r29", "stwcx. r30,0,r29",
                            "ldarx r30,0,r29", "stdcx. r30,0,r29", "dcbz 0,r29", "lbz r30,0(r29)", "stb r30,0(r29)",
                            "lq r30,0(r29)").get(r.nextInt(10)));
                }
            }
            for (String line : text) {
                out.add(ASM.assemble(line));
            }
        }
        return out;
    }

    /** A word of {@code row}: its fixed bits and random operand bits, retried for the row's validity rules. */
    private static int validEncoding(Random r, InsnPattern row) {
        int word = row.fixedBits() | (r.nextInt() & ~row.fixedMask());
        for (int tries = 0; tries < 8 && !row.isValidForm(word); tries++) {
            word = row.fixedBits() | (r.nextInt() & ~row.fixedMask());
        }
        return word;
    }
}
