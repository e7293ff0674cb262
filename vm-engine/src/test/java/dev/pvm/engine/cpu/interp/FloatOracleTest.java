package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pvm.engine.cpu.Fpscr;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.fpu.Binary64;
import dev.pvm.engine.cpu.fpu.FloatConversions;
import dev.pvm.engine.testing.ExternalTools;
import dev.pvm.engine.testing.TestResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-checks the interpreter's floating-point instructions with QEMU: {@code fp_oracle.c} (built with
 * powerpc64le-linux-gnu-gcc, run under qemu-ppc64le) executes each instruction on seeded random and special
 * operands in all four rounding modes and prints FRT, FPSCR and CR; the interpreter runs the same cases.
 *
 * <p>Where QEMU 7.2 departs from Power ISA v3.0B the comparison masks the difference (the interpreter follows the
 * ISA; see vm-engine/src/test/programs/README.md):
 * <ul>
 * <li>FPSCR[FR] is never set by QEMU: masked everywhere;</li>
 * <li>fcti*: FPRF is undefined in the ISA (we leave it unchanged, QEMU sets it): masked;</li>
 * <li>single-precision results that are denormal in single format: QEMU classifies FPRF in double format
 *     ("normal"), the ISA in the result's single format: FPRF masked for them;</li>
 * <li>fcfidu, fcfids, fcfidus: QEMU leaves FPRF at 0 instead of the result's class: masked;</li>
 * <li>fcmpo with a NaN operand (VE=0): QEMU also sets FPSCR[C], which the ISA leaves unchanged: masked;</li>
 * <li>fctiw*: the high word of the result is undefined (QEMU zero-extends the NaN result and sign-extends the
 *     others; we sign-extend): masked;</li>
 * <li>fnmadd/fnmsub in the directed modes RP and RM: the ISA defines the result as fmadd's (rounded) negated;
 *     QEMU rounds the negated exact value instead, i.e. in the opposite direction. Those cases run on the
 *     interpreter with RP and RM swapped, which must then reproduce QEMU exactly (RN aside); exact zero results
 *     follow the ISA's sign rule in both and are compared as they are;</li>
 * <li>fused multiply-add of infinity times zero with a signalling-NaN addend: QEMU reports only VXIMZ, the ISA
 *     both VXIMZ and VXSNAN: VXSNAN masked (the other exception bits are compared);</li>
 * <li>mtfsf that sets an exception bit without writing the field holding FX: the ISA sets FX by the usual
 *     0-to-1 rule, QEMU does not: FX masked for those cases;</li>
 * <li>fre/frsqrte[s]: the ISA does not alter XX (nor, through it, FX) for the estimates, QEMU does: masked;
 *     fre[s] of a zero returns +-0.5 in QEMU instead of +-infinity: zero operands are not compared.</li>
 * </ul>
 * Skipped when the cross compiler or qemu-ppc64le is missing.
 */
class FloatOracleTest {

    private static final long SEED = 0x5eed_f10a7L;
    private static final int CASES_PER_OP = 90;

    private static final String[] BINARY = {"fadd", "fsub", "fmul", "fdiv"};
    private static final String[] UNARY = {"fsqrt", "frsp", "fctid", "fctidz", "fctidu", "fctiduz", "fctiw", "fctiwz",
        "fctiwu", "fctiwuz", "frin", "friz", "frip", "frim", "fre", "frsqrte"};
    private static final String[] SINGLE_UNARY = {"fsqrts", "fres", "frsqrtes"};
    private static final String[] FROM_INTEGER = {"fcfid", "fcfidu", "fcfids", "fcfidus"};
    private static final String[] FUSED = {"fmadd", "fmsub", "fnmadd", "fnmsub"};
    private static final String[] COMPARE = {"fcmpu", "fcmpo"};
    /** FPSCR instructions (FRB = f1); their cases start from random FPSCR contents with the enables clear. */
    private static final String[] STATUS = {"mtfsf81", "mtfsf40", "mtfsf3c", "mtfsb0", "mtfsfi", "mcrfs", "mcrfs0",
        "mffsl", "mffsce", "mffscrni", "mffs"};

    private static final long[] SPECIAL = {
        0L, Long.MIN_VALUE, 0x3FF0_0000_0000_0000L, 0xBFF0_0000_0000_0000L, 0x7FF0_0000_0000_0000L,
        0xFFF0_0000_0000_0000L, 0x7FF8_0000_0000_0000L, 0x7FF8_0000_0000_1234L, 0xFFF4_0000_0000_0001L,
        0x7FF0_0000_0000_0001L, 0x0000_0000_0000_0001L, 0x000F_FFFF_FFFF_FFFFL, 0x0010_0000_0000_0000L,
        0x7FEF_FFFF_FFFF_FFFFL, 0x4330_0000_0000_0000L, 0x43E0_0000_0000_0000L, 0x41E0_0000_0000_0000L,
        0x41F0_0000_0000_0000L, 0x3FE0_0000_0000_0000L, 0x3FF8_0000_0000_0000L, 0xC004_0000_0000_0000L,
        0x47EF_FFFF_E000_0000L, 0x3810_0000_0000_0000L, 0x36A0_0000_0000_0000L, 0x3690_0000_0000_0000L,
    };

    private record Case(String op, long fpscr, long a, long b, long c) {
        String line() {
            return String.format("%s %x %x %x %x", op, fpscr, a, b, c);
        }
    }

    @Test
    void interpreterMatchesQemu(@TempDir Path dir) throws Exception {
        assumeTrue(ExternalTools.available("powerpc64le-linux-gnu-gcc", "qemu-ppc64le"),
                "powerpc64le-linux-gnu-gcc or qemu-ppc64le is not installed");
        Path source = TestResources.moduleDir().resolve("src/test/resources/fpu/fp_oracle.c");
        ExternalTools.run(dir, "powerpc64le-linux-gnu-gcc", "-static", "-O1", "-o", "fp_oracle", source.toString());
        List<Case> cases = cases(new Random(SEED));
        StringBuilder input = new StringBuilder();
        for (Case c : cases) {
            input.append(c.line()).append('\n');
        }
        Files.writeString(dir.resolve("cases.txt"), input);
        String[] qemu = ExternalTools.run(dir, "qemu-ppc64le", "./fp_oracle", "cases.txt").split("\n");
        assertThat(qemu).hasSize(cases.size());

        List<String> mismatches = new ArrayList<>();
        try (TestCpu t = TestCpu.littleEndian()) {
            t.cpu.setMsr(t.cpu.msr | Msr.FP);
            Map<String, Long> code = new HashMap<>();
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                long address = code.computeIfAbsent(c.op, op -> place(t, op));
                // The oracle starts with mtfsf 0xff: FX as given, FEX and VX computed.
                execute(t, c, address, Fpscr.withSummaries(c.fpscr));
                // An exact zero keeps the ISA's sign rule in QEMU too; other results round the other way.
                boolean swapDirection = c.op.startsWith("fnm") && c.fpscr >= Fpscr.ROUND_TOWARD_PLUS_INFINITY
                        && !((t.cpu.fprBits(0) << 1) == 0 && (t.cpu.fpscr & Fpscr.FI) == 0);
                if (swapDirection) {
                    execute(t, c, address, c.fpscr ^ 1);
                }
                String[] q = qemu[i].trim().split(" ");
                long qResult = Long.parseUnsignedLong(q[0], 16);
                long qFpscr = Long.parseLong(q[1], 16);
                int qCr = (int) Long.parseLong(q[2], 16);
                long mask = ~Fpscr.FR & ~(swapDirection ? Fpscr.RN : 0);
                long resultMask = c.op.startsWith("fctiw") ? 0xFFFF_FFFFL : -1L;
                boolean singleResult = c.op.endsWith("s") && !c.op.equals("fres") || c.op.equals("frsp")
                        || c.op.equals("fres");
                if (c.op.startsWith("fcti") || c.op.equals("fcfidu") || c.op.equals("fcfids")
                        || c.op.equals("fcfidus")) {
                    mask &= ~Fpscr.FPRF;
                }
                if (singleResult && singleDenormal(t.cpu.fprBits(0))) {
                    mask &= ~Fpscr.FPRF;
                }
                boolean compare = c.op.startsWith("fcmp") || c.op.startsWith("mcrfs");
                boolean status = c.op.startsWith("mtfs") || c.op.startsWith("mcrfs");
                // The record forms set CR1, the compares CR5; the oracle's other CR fields belong to its C code.
                int crMask = compare ? 0x0000_0f00 : 0x0f00_0000;
                if (c.op.startsWith("fre") || c.op.startsWith("frsqrte")) {
                    mask &= ~(Fpscr.XX | Fpscr.FX);
                    crMask &= ~(0x8 << 24); // CR1[FX]
                }
                long ours = t.cpu.fpscr & 0xffff_ffffL;
                if (isFused(c.op) && infinityTimesZero(c.a, c.b) && Binary64.isSignalling(c.c)) {
                    mask &= ~Fpscr.VXSNAN;
                }
                if (c.op.equals("fcmpo")) {
                    mask &= ~(1L << 16); // FPSCR[C]
                }
                if (status || c.op.startsWith("mffs")) {
                    crMask &= c.op.startsWith("mcrfs") ? -1 : 0;
                }
                if (c.op.equals("mtfsf40") || c.op.equals("mtfsf3c")) {
                    mask &= ~Fpscr.FX;
                }
                boolean sameResult = compare || status || (t.cpu.fprBits(0) & resultMask) == (qResult & resultMask);
                if (!sameResult || (ours & mask) != (qFpscr & mask) || (t.cpu.cr & crMask) != (qCr & crMask)) {
                    mismatches.add(String.format("%s: qemu %016x %08x cr %08x, ours %016x %08x cr %08x",
                            c.line(), qResult, qFpscr, qCr, t.cpu.fprBits(0), ours, t.cpu.cr));
                }
            }
        }
        assertThat(mismatches).as("%d cases", cases.size()).isEmpty();
    }

    private static void execute(TestCpu t, Case c, long address, long fpscr) {
        t.cpu.fpscr = fpscr;
        t.cpu.cr = 0;
        t.cpu.setFprBits(0, 0x7ff0dead0000beefL);
        t.cpu.setFprBits(1, c.a);
        t.cpu.setFprBits(2, c.b);
        t.cpu.setFprBits(3, c.c);
        t.cpu.nia = address;
        t.run(1);
    }

    private static boolean isFused(String op) {
        return op.startsWith("fmadd") || op.startsWith("fmsub") || op.startsWith("fnm");
    }

    private static boolean infinityTimesZero(long a, long c) {
        return (Binary64.isInfinite(a) && Binary64.isZero(c)) || (Binary64.isZero(a) && Binary64.isInfinite(c));
    }

    private static boolean singleDenormal(long bits) {
        int exponent = (int) ((bits >>> 52) & 0x7ff);
        return exponent != 0 && exponent < 1023 - 126 || (exponent == 0 && (bits << 1) != 0);
    }

    private static long place(TestCpu t, String op) {
        long address = t.nextAddress();
        String text = switch (op) {
            case "fcmpu", "fcmpo" -> op + " cr5,f1,f2";
            case "mtfsf81" -> "mtfsf 0x81,f1";
            case "mtfsf40" -> "mtfsf 0x40,f1";
            case "mtfsf3c" -> "mtfsf 0x3c,f1";
            case "mtfsb0" -> "mtfsb0 3";
            case "mtfsfi" -> "mtfsfi 7,2";
            case "mcrfs" -> "mcrfs cr5,cr1";
            case "mcrfs0" -> "mcrfs cr5,cr0";
            case "mffsl", "mffsce", "mffs" -> op + " f0";
            case "mffscrni" -> "mffscrni f0,3";
            case "fmadd", "fmsub", "fnmadd", "fnmsub", "fmadds", "fmsubs", "fnmadds", "fnmsubs", "fsel" ->
                    op + ". f0,f1,f2,f3";
            case "fadd", "fsub", "fmul", "fdiv", "fadds", "fsubs", "fmuls", "fdivs" -> op + ". f0,f1,f2";
            default -> op + ". f0,f1";
        };
        t.code(text);
        return address;
    }

    private static List<Case> cases(Random r) {
        List<Case> cases = new ArrayList<>();
        for (String op : BINARY) {
            for (String name : new String[] {op, op + "s"}) {
                boolean single = name.endsWith("s");
                for (int i = 0; i < CASES_PER_OP; i++) {
                    long a = operand(r, single);
                    long b = r.nextInt(4) == 0 ? near(r, a, single) : operand(r, single);
                    cases.add(new Case(name, mode(r), a, b, 0));
                }
            }
        }
        for (String op : FUSED) {
            for (String name : new String[] {op, op + "s"}) {
                boolean single = name.endsWith("s");
                for (int i = 0; i < CASES_PER_OP; i++) {
                    long a = operand(r, single);
                    long c = operand(r, single);
                    long b = r.nextInt(3) == 0 ? productNeighbour(r, a, c, single) : operand(r, single);
                    cases.add(new Case(name, mode(r), a, c, b));
                }
            }
        }
        for (String op : UNARY) {
            for (int i = 0; i < CASES_PER_OP; i++) {
                long a = op.startsWith("fcti") || op.startsWith("fri") ? integerish(r) : operand(r, false);
                if (op.equals("fre") && (a << 1) == 0) {
                    continue;
                }
                cases.add(new Case(op, mode(r), a, 0, 0));
            }
        }
        for (String op : SINGLE_UNARY) {
            for (int i = 0; i < CASES_PER_OP; i++) {
                long a = operand(r, true);
                if (op.equals("fres") && (a << 1) == 0) {
                    continue;
                }
                cases.add(new Case(op, mode(r), a, 0, 0));
            }
        }
        for (String op : FROM_INTEGER) {
            for (int i = 0; i < CASES_PER_OP; i++) {
                long v = r.nextLong() >> r.nextInt(64);
                cases.add(new Case(op, mode(r), r.nextBoolean() ? v : v & Long.MAX_VALUE, 0, 0));
            }
        }
        for (String op : COMPARE) {
            for (int i = 0; i < CASES_PER_OP; i++) {
                long a = operand(r, false);
                cases.add(new Case(op, mode(r), a, r.nextInt(4) == 0 ? a : operand(r, false), 0));
            }
        }
        for (String op : STATUS) {
            for (int i = 0; i < CASES_PER_OP / 3; i++) {
                long start = r.nextLong() & 0xFFFF_FFFFL & ~Fpscr.ENABLES & Fpscr.DEFINED;
                cases.add(new Case(op, start, r.nextLong() & ~Fpscr.ENABLES, 0, 0));
            }
        }
        for (int i = 0; i < CASES_PER_OP; i++) {
            cases.add(new Case("fsel", mode(r), operand(r, false), operand(r, false), operand(r, false)));
        }
        return cases;
    }

    private static long mode(Random r) {
        return r.nextInt(4);
    }

    /** Specials, random bit patterns, and values near 1, the denormal range and overflow. */
    private static long operand(Random r, boolean single) {
        if (single) {
            int word = switch (r.nextInt(5)) {
                case 0 -> Float.floatToRawIntBits(new float[] {0f, -0f, 1f, -1f, Float.MIN_VALUE, Float.MIN_NORMAL,
                    Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1.5f, 3f}[r.nextInt(11)]);
                case 1 -> r.nextInt();
                case 2 -> (r.nextInt() & 0x807F_FFFF) | ((120 + r.nextInt(16)) << 23);
                case 3 -> (r.nextInt() & 0x807F_FFFF) | (r.nextInt(30) << 23);
                default -> (r.nextInt() & 0x807F_FFFF) | ((230 + r.nextInt(25)) << 23);
            };
            return FloatConversions.fromSingleBits(word);
        }
        return switch (r.nextInt(5)) {
            case 0 -> SPECIAL[r.nextInt(SPECIAL.length)];
            case 1 -> r.nextLong();
            case 2 -> (r.nextLong() & 0x800F_FFFF_FFFF_FFFFL) | ((long) (1000 + r.nextInt(48)) << 52);
            case 3 -> (r.nextLong() & 0x800F_FFFF_FFFF_FFFFL) | ((long) r.nextInt(60) << 52);
            default -> (r.nextLong() & 0x800F_FFFF_FFFF_FFFFL) | ((long) (1990 + r.nextInt(57)) << 52);
        };
    }

    /** A value close to {@code a} (cancellation in subtraction, ties in comparisons). */
    private static long near(Random r, long a, boolean single) {
        if (single) {
            long step = (long) (r.nextInt(5) - 2) << 29;
            return a + step;
        }
        return a + r.nextInt(5) - 2;
    }

    /** An addend close to -(a*c), so that the fused sum cancels and rounding once matters. */
    private static long productNeighbour(Random r, long a, long c, boolean single) {
        double p = Double.longBitsToDouble(a) * Double.longBitsToDouble(c);
        if (single) {
            return FloatConversions.fromSingleBits(Float.floatToRawIntBits((float) -p) + r.nextInt(3) - 1);
        }
        return Double.doubleToRawLongBits(-p) + r.nextInt(3) - 1;
    }

    /** Values around the integer ranges of the conversions, halves for the ties, and specials. */
    private static long integerish(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> SPECIAL[r.nextInt(SPECIAL.length)];
            case 1 -> Double.doubleToRawLongBits((r.nextInt(41) - 20) / 2.0 + (r.nextBoolean() ? 0 : 1e-9));
            case 2 -> Double.doubleToRawLongBits(Math.scalb(r.nextDouble() - 0.5, r.nextInt(70)));
            case 3 -> (r.nextLong() & 0x800F_FFFF_FFFF_FFFFL) | ((long) (1050 + r.nextInt(40)) << 52);
            default -> r.nextLong();
        };
    }
}
