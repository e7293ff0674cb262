package dev.pvm.engine.cpu.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.Opcodes;

/** Lockstep mode: clean over random integer code, and it names the instruction a broken emitter got wrong. */
class LockstepTest {

    private static final String[] THREE_REG = {"add", "add.", "subf", "subf.", "mulld", "and", "and.", "or", "or.",
        "xor", "xor.", "sld", "srd.", "addc", "adde", "subfc.", "divd", "divdu", "mulhd", "slw", "srw", "srad"};
    private static final String[] TWO_REG = {"extsw", "extsw.", "extsh", "extsb", "cntlzd", "cntlzd.", "popcntd",
        "neg", "neg.", "cntlzw"};
    private static final String[] LOADS = {"lbz", "lhz", "lha", "lwz", "ld", "lbzu", "lwzu", "ldu"};
    private static final String[] STORES = {"stb", "sth", "stw", "std", "stbu", "sthu", "stwu", "stdu"};
    private static final String[] INDEXED = {"lbzx", "lhzx", "lwzx", "ldx", "lwax", "lhbrx", "lwbrx", "ldbrx", "stbx",
        "sthx", "stwx", "stdx", "stwbrx", "stdbrx"};

    /** A random integer instruction of the kinds the translator inlines or falls back for. */
    static String randomInsn(SplittableRandom r, long address) {
        String rt = "r" + r.nextInt(3, 20);
        String ra = "r" + r.nextInt(3, 20);
        String rb = "r" + r.nextInt(3, 20);
        String base = "r" + r.nextInt(20, 24);
        return switch (r.nextInt(12)) {
            case 0, 1 -> THREE_REG[r.nextInt(THREE_REG.length)] + " " + rt + "," + ra + "," + rb;
            case 2 -> TWO_REG[r.nextInt(TWO_REG.length)] + " " + rt + "," + ra;
            case 3 -> "addi " + rt + "," + ra + "," + r.nextInt(-32768, 32768);
            case 4 -> "addis " + rt + "," + ra + "," + r.nextInt(-32768, 32768);
            case 5 -> "rlwinm" + (r.nextBoolean() ? ". " : " ") + rt + "," + ra + "," + r.nextInt(32) + ","
                    + r.nextInt(32) + "," + r.nextInt(32);
            case 6 -> (r.nextBoolean() ? "rldicl " : "rldicr. ") + rt + "," + ra + "," + r.nextInt(64) + ","
                    + r.nextInt(64);
            case 7 -> (r.nextBoolean() ? "cmp " : "cmpl ") + r.nextInt(8) + "," + r.nextInt(2) + "," + ra + "," + rb;
            case 8 -> LOADS[r.nextInt(LOADS.length)] + " " + rt + "," + (r.nextInt(-8, 8) * 8) + "(" + base + ")";
            case 9 -> STORES[r.nextInt(STORES.length)] + " " + rt + "," + (r.nextInt(-8, 8) * 8) + "(" + base + ")";
            case 10 -> INDEXED[r.nextInt(INDEXED.length)] + " " + rt + "," + base + ",r0";
            default -> "bc " + (r.nextBoolean() ? 12 : 4) + "," + r.nextInt(32) + "," + (address + 8);
        };
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void randomIntegerStreamsShowNoDivergence(boolean le) {
        long compared = 0;
        for (long seed = 1; seed <= 12; seed++) {
            try (GuestFixture f = new GuestFixture(ExecutionMode.LOCKSTEP, le)) {
                Differential.randomState(f, seed);
                f.cpu.gpr[0] = 8 * new SplittableRandom(seed).nextInt(-4, 4);
                SplittableRandom r = new SplittableRandom(seed * 31);
                List<String> program = new ArrayList<>();
                for (int i = 0; i < 80; i++) {
                    program.add(randomInsn(r, f.next()));
                    f.code(program.getLast());
                }
                f.run(10_000);
                // It stops at the illegal word after the program, having compared every unit on the way.
                assertThat(f.cpu.pendingInterrupt).as("seed %d: %s", seed, program).isNotNull();
                assertThat(f.cpu.cia).isEqualTo(f.next());
                compared += ((LockstepExecutor) f.executor).comparedUnits();
            }
        }
        assertThat(compared).isGreaterThan(12);
    }

    @Test
    void aBrokenEmitterIsReportedWithAddressInstructionAndRegisters() {
        // ADD that adds one too many: the kind of slip lockstep exists to catch.
        EmitterTable broken = EmitterTable.standard(GuestFixture.TABLE).withOverride("ADD", (e, row, i) -> {
            e.loadGpr(row.field("ra").raw(i));
            e.loadGpr(row.field("rb").raw(i));
            e.mv().visitInsn(Opcodes.LADD);
            e.pushLong(1);
            e.mv().visitInsn(Opcodes.LADD);
            e.storeGpr(row.field("rt").raw(i));
            return true;
        });
        try (GuestFixture f = new GuestFixture(ExecutionMode.LOCKSTEP, true, broken)) {
            f.code("addi r3,0,5", "addi r4,0,7", "stw r3,0(r20)", "add r5,r3,r4", "addi r6,r5,1", "stw r5,4(r20)");
            f.cpu.gpr[20] = GuestFixture.DATA;
            assertThatThrownBy(() -> f.run(1000))
                    .isInstanceOfSatisfying(LockstepDivergenceException.class, e -> {
                        LockstepDivergence d = e.divergence();
                        assertThat(d.address()).isEqualTo(GuestFixture.CODE + 12);
                        assertThat(d.disassembly()).startsWith("add").contains("r5,r3,r4");
                        assertThat(d.registers()).containsExactly("gpr[5]: expected 0xc, actual 0xd");
                        assertThat(d.memory()).isEmpty();
                        assertThat(e.getMessage()).contains("0x100c");
                    });
        }
    }

    @Test
    void theSameProgramWithTheStandardEmittersIsClean() {
        try (GuestFixture f = new GuestFixture(ExecutionMode.LOCKSTEP, true)) {
            f.code("addi r3,0,5", "addi r4,0,7", "stw r3,0(r20)", "add r5,r3,r4", "addi r6,r5,1", "stw r5,4(r20)");
            f.cpu.gpr[20] = GuestFixture.DATA;
            f.run(1000);
            assertThat(f.cpu.gpr[6]).isEqualTo(13);
            assertThat(f.memory.load32(GuestFixture.DATA + 4, f.order())).isEqualTo(12);
        }
    }
}
