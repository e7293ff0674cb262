package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.Fpscr;
import dev.pvm.engine.cpu.Msr;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The double-precision arithmetic rows' inline fast path (FloatEmitters, NearestFloatOps) against the interpreter:
 * FPR, VSX scalar and vector forms over operands where the fast path completes the instruction (ordinary values,
 * exact and inexact results, zeros) and where it must decline (NaN, infinity, zero divisors, overflow, tiny
 * results, other rounding modes, enabled exceptions with and without MSR[FE0|FE1]).
 */
class FloatEmitterTest {

    private static final String[] PROGRAM = {
        "fadd f1,f2,f3", "fsub f4,f5,f6", "fmul f7,f8,f9", "fdiv f10,f11,f12", "fadd. f13,f14,f15",
        "fmadd f16,f17,f18,f19", "fmsub f20,f21,f22,f23", "fnmadd f24,f25,f26,f27", "fnmsub f28,f29,f30,f31",
        "mfcr r3", "xsadddp vs33,vs34,vs35", "xssubdp vs36,vs37,vs38", "xsmuldp vs39,vs40,vs41",
        "xsdivdp vs42,vs43,vs44", "xsmaddadp vs45,vs46,vs47", "xsmaddmdp vs48,vs49,vs50", "xsnmsubadp vs51,vs52,vs53",
        "xsmsubmdp vs54,vs55,vs56", "xvadddp vs57,vs58,vs59", "xvsubdp vs60,vs61,vs62", "xvmuldp vs63,vs32,vs33",
        "xvdivdp vs34,vs35,vs36", "xvmaddadp vs37,vs38,vs39", "xvmaddmdp vs40,vs41,vs42", "xvnmaddadp vs43,vs44,vs45",
        "xvmsubmdp vs46,vs47,vs48", "xvnmsubadp vs1,vs1,vs1", "fmul f2,f2,f2", "fadd f5,f4,f4", "xvmuldp vs4,vs57,vs60",
        "mffs f0", "stfd f0,0(r20)",
    };

    /** Operand kinds: mostly values the fast path completes, some it must decline. */
    private static long operand(SplittableRandom r) {
        double v = switch (r.nextInt(16)) {
            case 0 -> r.nextInt(-20, 20); // small integers: exact sums and products, zeros
            case 1 -> r.nextInt(1, 8) * 0.125;
            case 2 -> 0x1p-1000 * r.nextDouble(); // tiny and subnormal
            case 3 -> 0x1p1000 * (1 + r.nextDouble()); // near overflow
            case 4 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 5 -> r.nextBoolean() ? -0.0 : 0.0;
            case 6 -> Math.scalb(r.nextDouble() - 0.5, r.nextInt(-460, -440)); // around the fused-factor limit
            default -> (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-12, 12));
        };
        long bits = Double.doubleToRawLongBits(v);
        return switch (r.nextInt(40)) {
            case 0 -> 0x7ff8_0000_0000_0000L | r.nextLong(1L << 40); // quiet NaN
            case 1 -> 0x7ff0_0000_0000_0001L | r.nextLong(1L << 40); // signalling NaN
            default -> bits;
        };
    }

    private static long fpscr(SplittableRandom r) {
        long sticky = r.nextBoolean() ? 0 : Fpscr.XX | Fpscr.FX | Fpscr.FR | Fpscr.FI;
        return sticky | switch (r.nextInt(8)) {
            case 0 -> Fpscr.ROUND_TOWARD_ZERO;
            case 1 -> Fpscr.ROUND_TOWARD_PLUS_INFINITY | Fpscr.ROUND_TOWARD_MINUS_INFINITY;
            case 2 -> Fpscr.VE;
            case 3 -> Fpscr.XE;
            case 4 -> Fpscr.OE | Fpscr.UE | Fpscr.ZE;
            default -> 0;
        };
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fastPathAgreesWithTheInterpreter(boolean le) {
        for (long seed = 1; seed <= 24; seed++) {
            long s = seed;
            boolean enabledInterrupts = seed % 6 == 0;
            Differential.compare(le, "seed " + seed, f -> {
                f.code(PROGRAM);
                Differential.randomState(f, s);
                SplittableRandom r = new SplittableRandom(s * 31);
                for (int i = 0; i < 64; i++) {
                    f.cpu.vsrHi[i] = operand(r);
                    f.cpu.vsrLo[i] = operand(r);
                }
                f.cpu.fpscr = fpscr(r);
                f.cpu.setMsr(f.cpu.msr | Msr.FP | Msr.VEC | Msr.VSX | (enabledInterrupts ? Msr.FE0 | Msr.FE1 : 0));
            });
        }
    }

    /** Long runs of ordinary values: the fast path's inexact/FR/FI bookkeeping over many results. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void accumulationsAgreeWithTheInterpreter(boolean le) {
        List<String> program = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            program.add("fmadd f1,f2,f3,f1");
            program.add("fdiv f4,f1,f5");
            program.add("xvmaddadp vs40,vs41,vs42");
            program.add("xvmuldp vs43,vs40,vs44");
            program.add("xsadddp vs45,vs45,vs43");
            program.add("mffs f6");
            program.add("stfd f6," + (8 * k) + "(r20)");
        }
        for (long seed = 1; seed <= 8; seed++) {
            long s = seed;
            Differential.compare(le, "accumulation seed " + seed, f -> {
                f.code(program.toArray(String[]::new));
                Differential.randomState(f, s);
                SplittableRandom r = new SplittableRandom(s);
                for (int i = 0; i < 64; i++) {
                    f.cpu.vsrHi[i] = Double.doubleToRawLongBits((r.nextDouble() - 0.5) * 1e3);
                    f.cpu.vsrLo[i] = Double.doubleToRawLongBits(r.nextDouble() * 1e-3);
                }
                f.cpu.fpscr = 0;
                f.cpu.setMsr(f.cpu.msr | Msr.FP | Msr.VEC | Msr.VSX);
            });
        }
    }
}
