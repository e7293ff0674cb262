package dev.pvm.engine.cpu.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.Msr;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs the same code from the same (seeded, random) state in the interpreter, in the translator and as decoded
 * units (the translator's cold tier, with a threshold never reached), and checks that registers, interrupts, the
 * instruction count and data memory end equal.
 */
final class Differential {

    /** Registers r20..r23 point into the data area so loads and stores have somewhere to go. */
    static final int FIRST_POINTER = 20;

    private Differential() {
    }

    static void randomState(GuestFixture f, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 32; i++) {
            f.cpu.gpr[i] = switch (r.nextInt(4)) {
                case 0 -> r.nextLong();
                case 1 -> r.nextInt(-300, 300);
                case 2 -> r.nextBoolean() ? Long.MIN_VALUE + r.nextInt(3) : Long.MAX_VALUE - r.nextInt(3);
                default -> r.nextLong() & 0xFFFF_FFFFL;
            };
        }
        for (int i = 0; i < 4; i++) {
            f.cpu.gpr[FIRST_POINTER + i] = GuestFixture.DATA + 0x100 + 0x80 * i + r.nextInt(8);
        }
        f.cpu.cr = r.nextInt();
        f.cpu.lr = r.nextLong() & ~3L;
        f.cpu.ctr = r.nextInt(1, 5);
        f.cpu.so = r.nextInt(2);
        f.cpu.ca = r.nextInt(2);
        byte[] data = new byte[0x400];
        r.nextBytes(data);
        f.memory.write(GuestFixture.DATA, data);
        for (int i = 0; i < 64; i++) {
            f.cpu.vsrHi[i] = r.nextLong();
            f.cpu.vsrLo[i] = r.nextLong();
        }
        f.cpu.ca32 = r.nextInt(2);
    }

    /**
     * As {@link #check}, with MSR[FP], [VEC] and [VSX] set: units are translated for them, so the FP, VMX and
     * VSX rows run inline.
     */
    static void checkWithFacilities(boolean littleEndian, long seed, String... lines) {
        compare(littleEndian, "seed " + seed + " program " + Arrays.toString(lines) + " FP/VEC/VSX", f -> {
            f.code(lines);
            randomState(f, seed);
            f.cpu.setMsr(f.cpu.msr | Msr.FP | Msr.VEC | Msr.VSX);
        });
    }

    /** Both engines over {@code lines} from the state seeded by {@code seed}. */
    static void check(boolean littleEndian, long seed, String... lines) {
        compare(littleEndian, "seed " + seed + " program " + Arrays.toString(lines), f -> {
            f.code(lines);
            randomState(f, seed);
        });
    }

    /**
     * The engines after the same {@code setup}, run until they stop (at most 100000 instructions).
     */
    static void compare(boolean littleEndian, String what, java.util.function.Consumer<GuestFixture> setup) {
        try (GuestFixture interp = new GuestFixture(ExecutionMode.INTERPRETER, littleEndian);
                GuestFixture trans = new GuestFixture(ExecutionMode.TRANSLATOR, littleEndian);
                GuestFixture decoded = new GuestFixture(ExecutionMode.TRANSLATOR, littleEndian)) {
            ((TranslatorExecutor) decoded.executor).translateAfter(Integer.MAX_VALUE);
            for (GuestFixture f : List.of(interp, trans, decoded)) {
                setup.accept(f);
            }
            long ni = interp.run(100_000);
            byte[] a = new byte[0x400];
            interp.memory.read(GuestFixture.DATA, a);
            for (GuestFixture other : List.of(trans, decoded)) {
                long n = other.run(100_000);
                String where = what + (littleEndian ? " LE" : " BE") + (other == decoded ? " decoded units" : "");
                assertThat(CpuStateFields.differences(interp.cpu, other.cpu)).as(where).isEmpty();
                assertThat(n).as(where).isEqualTo(ni);
                byte[] b = new byte[0x400];
                other.memory.read(GuestFixture.DATA, b);
                assertThat(b).as(where).isEqualTo(a);
            }
        }
    }
}
