package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pvm.engine.cpu.isa.FieldKind;
import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.cpu.isa.Operand;
import dev.pvm.engine.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The oracle for the register-to-register vector semantics: every VMX/VSX row without a storage operand is run
 * on seeded random register contents (integers, and doubles and singles drawn from the edge cases: zeros,
 * denormals, infinities, quiet and signalling NaNs) once in our interpreter and once on QEMU's (qemu-ppc64le
 * -cpu power9), which executes the same instruction, assembled by binutils, in a generated leaf function. Both
 * report VSRs 0-5 and 32-37, r5-r7, CR6 and VSCR after the instruction; every case must agree.
 *
 * <p>Skipped when the little-endian cross tools or qemu-ppc64le are missing.
 */
class VectorQemuOracleTest {

    /** Bytes of guest data a load reads from (in) and a store writes into (out), after the register images. */
    private static final int DATA = 64;
    private static final int IN_DATA = 208;
    private static final int OUT_DATA = 240;
    /** The VSRs a case loads and reports: vs0-vs5 (the FPR half) and vs32-vs37 (v0-v5). */
    private static final int[] VSRS = {0, 1, 2, 3, 4, 5, 32, 33, 34, 35, 36, 37};
    /**
     * Rows not compared. vrldmi: QEMU 7.2 (Debian 12) disagrees with the ISA's pseudocode (Book I 6.9.5:
     * (ROTL64(A, n) & MASK(b, e)) | (VRT & ~MASK)) on some inputs, while our vrlwmi/vrldnm, which share the
     * code, agree with it; VectorIntegerOpsTest checks vrldmi against hand-computed values instead.
     */
    private static final Set<String> SKIPPED = Set.of("VRLDMI",
            // Power ISA 3.1 rows, illegal on the POWER9 model the oracle runs (VsxQuadOpsTest, VectorLoadStoreOpsTest and VectorIntegerOpsTest cover them).
            "XSCVQPUQZ", "XSCVQPSQZ", "XSCVUQQP", "XSCVSQQP", "XSCMPEQQP", "XSCMPGEQP", "XSCMPGTQP", "LXVP",
            "VEXTRACTBM");
    /** Rounds per row: the first two use distinct registers (both VSR halves), the third makes the target a source. */
    private static final int ROUNDS = 3;

    /**
     * One instruction and its inputs. A storage instruction ({@code memory}) addresses the in data (loads) or
     * the out data (stores, which starts as a copy of the in data) through r5, which the harness sets.
     */
    private record Case(String text, byte[][] vsr, long r5, long r6, byte[] data, Access memory) {
    }

    private enum Access { NONE, LOAD, STORE }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void vectorInstructionsAgreeWithQemu(boolean littleEndian, @TempDir Path dir) throws Exception {
        String gcc = littleEndian ? "powerpc64le-linux-gnu-gcc" : "powerpc64-linux-gnu-gcc";
        String qemu = littleEndian ? "qemu-ppc64le" : "qemu-ppc64";
        assumeTrue(ExternalTools.available(gcc, qemu), gcc + " or " + qemu + " is not installed");
        List<Case> cases = cases();

        StringBuilder asm = new StringBuilder(littleEndian ? "\t.abiversion 2\n" : "");
        asm.append("\t.machine power9\n\t.text\n");
        StringBuilder table = new StringBuilder();
        for (int n = 0; n < cases.size(); n++) {
            asm.append(leafFunction(n, cases.get(n), littleEndian));
            table.append("case_").append(n).append(',');
        }
        StringBuilder inputs = new StringBuilder();
        for (Case c : cases) {
            inputs.append('{');
            for (byte[] reg : c.vsr()) {
                for (byte x : reg) {
                    inputs.append(x & 0xff).append(',');
                }
            }
            for (long g : new long[] {c.r5(), c.r6()}) {
                for (int k = 0; k < 8; k++) {
                    inputs.append((g >>> (littleEndian ? 8 * k : 56 - 8 * k)) & 0xff).append(',');
                }
            }
            for (byte x : c.data()) {
                inputs.append(x & 0xff).append(',');
            }
            inputs.append("},\n");
        }
        String harness = """
                #include <stdio.h>
                #include <string.h>
                typedef void (*case_fn)(const unsigned char *in, unsigned char *out);
                %s
                static const case_fn cases[] = {%s};
                static const unsigned char inputs[][%d] __attribute__((aligned(16))) = {%s};
                int main(void) {
                    for (unsigned n = 0; n < sizeof cases / sizeof cases[0]; n++) {
                        unsigned char in[272] __attribute__((aligned(16)));
                        unsigned char out[304] __attribute__((aligned(16)));
                        memcpy(in, inputs[n], sizeof in);
                        memset(out, 0, sizeof out);
                        cases[n](in, out);
                        for (int i = 0; i < 304; i++) printf("%%02x", out[i]);
                        printf("\\n");
                    }
                    return 0;
                }
                """.formatted(declarations(cases.size()), table, IN_DATA + DATA, inputs);
        Files.writeString(dir.resolve("cases.S"), asm);
        Files.writeString(dir.resolve("harness.c"), harness);
        ExternalTools.run(dir, gcc, "-O1", "-static", "-mcpu=power9", "-o", "oracle", "harness.c", "cases.S");
        String[] theirs = ExternalTools.run(dir, qemu, "-cpu", "power9", dir.resolve("oracle").toString())
                .split("\n");
        assertThat(theirs).hasSize(cases.size());

        List<String> mismatches = new ArrayList<>();
        try (TestCpu t = littleEndian ? TestCpu.littleEndian() : TestCpu.bigEndian()) {
            for (int n = 0; n < cases.size(); n++) {
                Case c = cases.get(n);
                String ours = run(t, c, littleEndian);
                String diff = describeDifferences(ours, theirs[n], littleEndian);
                if (!diff.isEmpty()) {
                    mismatches.add(c.text() + ":" + diff);
                }
            }
        }
        assertThat(mismatches).as("%d cases, results that differ from QEMU's", cases.size()).isEmpty();
    }

    /** The report fields (as "name ours/qemu") in which two result lines differ; CR fields other than CR6 aside. */
    private static String describeDifferences(String ours, String theirs, boolean littleEndian) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < VSRS.length; k++) {
            String o = ours.substring(32 * k, 32 * k + 32);
            String q = theirs.substring(32 * k, 32 * k + 32);
            if (!o.equals(q)) {
                b.append(" vs").append(VSRS[k]).append(' ').append(o).append('/').append(q);
            }
        }
        String[] names = {"r5", "r6", "r7"};
        for (int k = 0; k < 3; k++) {
            int at = 384 + 16 * k;
            if (!ours.substring(at, at + 16).equals(theirs.substring(at, at + 16))) {
                b.append(' ').append(names[k]).append(' ').append(ours, at, at + 16).append('/')
                        .append(theirs, at, at + 16);
            }
        }
        // CR6 is bits 24:27 of the CR word: the high nibble of its byte 3 (stored first in little-endian).
        int cr6 = 432 + (littleEndian ? 0 : 6);
        if (ours.charAt(cr6) != theirs.charAt(cr6)) {
            b.append(" cr6 ").append(ours.charAt(cr6)).append('/').append(theirs.charAt(cr6));
        }
        if (!ours.substring(448, 480).equals(theirs.substring(448, 480))) {
            b.append(" vscr ").append(ours, 472, 480).append('/').append(theirs, 472, 480);
        }
        if (!ours.substring(480).equals(theirs.substring(480))) {
            b.append(" data ").append(ours, 480, ours.length()).append('/').append(theirs, 480, theirs.length());
        }
        return b.toString();
    }

    private static String declarations(int count) {
        StringBuilder b = new StringBuilder();
        for (int n = 0; n < count; n++) {
            b.append("void case_").append(n).append("(const unsigned char *, unsigned char *);\n");
        }
        return b.toString();
    }

    /**
     * case_N(in = r3, out = r4): VSCR and CR6 cleared, the twelve VSRs loaded from in (bytes in element
     * order, lxvb16x), r5/r6 from in+192, the out data initialised from the in data, r5 pointed at the in data
     * (loads) or the out data (stores), the instruction, then the VSRs, r5-r7, CR, VSCR and the out data stored
     * to out (r5 zeroed first for storage cases: its address is the host's). Only volatile registers are
     * touched (vs0-vs13, v0-v19, r0, r3-r12, CR6). On big-endian the symbol is an ELFv1 function descriptor.
     */
    private static String leafFunction(int n, Case c, boolean littleEndian) {
        String name = "case_" + n;
        StringBuilder b = new StringBuilder();
        if (littleEndian) {
            b.append("\t.globl ").append(name).append("\n\t.type ").append(name).append(",@function\n")
                    .append(name).append(":\n");
        } else {
            b.append("\t.section .opd,\"aw\"\n\t.align 3\n\t.globl ").append(name).append('\n').append(name)
                    .append(":\n\t.quad .").append(name).append(",.TOC.@tocbase,0\n\t.text\n.").append(name)
                    .append(":\n");
        }
        b.append("\tvxor 0,0,0\n\tmtvscr 0\n\tli 0,0\n\tmtocrf 2,0\n\tli 7,0\n");
        for (int k = 0; k < VSRS.length; k++) {
            b.append("\tli 0,").append(16 * k).append("\n\tlxvb16x ").append(VSRS[k]).append(",3,0\n");
        }
        for (int k = 0; k < DATA; k += 8) {
            b.append("\tld 0,").append(IN_DATA + k).append("(3)\n\tstd 0,").append(OUT_DATA + k).append("(4)\n");
        }
        b.append("\tld 5,192(3)\n\tld 6,200(3)\n");
        switch (c.memory()) {
            case LOAD -> b.append("\taddi 5,3,").append(IN_DATA).append('\n');
            case STORE -> b.append("\taddi 5,4,").append(OUT_DATA).append('\n');
            case NONE -> { }
        }
        b.append('\t').append(c.text()).append('\n');
        if (c.memory() != Access.NONE) {
            b.append("\tli 5,0\n");
        }
        for (int k = 0; k < VSRS.length; k++) {
            b.append("\tli 0,").append(16 * k).append("\n\tstxvb16x ").append(VSRS[k]).append(",4,0\n");
        }
        b.append("\tstd 5,192(4)\n\tstd 6,200(4)\n\tstd 7,208(4)\n\tmfcr 0\n\tstw 0,216(4)\n");
        b.append("\tmfvscr 0\n\tli 0,224\n\tstxvb16x 32,4,0\n\tblr\n");
        if (littleEndian) {
            b.append("\t.size ").append(name).append(",.-").append(name).append('\n');
        }
        return b.toString();
    }

    /** Runs one case in the interpreter and formats the result as the harness prints it. */
    private static String run(TestCpu t, Case c, boolean littleEndian) {
        var s = t.cpu;
        s.vscr = 0;
        s.setCrField(6, 0);
        s.gpr[7] = 0;
        for (int k = 0; k < VSRS.length; k++) {
            s.vsrHi[VSRS[k]] = bigEndianLong(c.vsr()[k], 0);
            s.vsrLo[VSRS[k]] = bigEndianLong(c.vsr()[k], 8);
        }
        s.gpr[5] = c.r5();
        s.gpr[6] = c.r6();
        long in = TestCpu.DATA;
        long out = TestCpu.DATA + 0x100;
        for (int k = 0; k < DATA; k++) {
            t.memory.store8(in + k, c.data()[k]);
            t.memory.store8(out + k, c.data()[k]);
        }
        switch (c.memory()) {
            case LOAD -> s.gpr[5] = in;
            case STORE -> s.gpr[5] = out;
            case NONE -> { }
        }
        t.exec(c.text());
        assertThat(s.pendingInterrupt).as(c.text()).isNull();
        if (c.memory() != Access.NONE) {
            s.gpr[5] = 0;
        }
        StringBuilder report = new StringBuilder();
        for (int reg : VSRS) {
            report.append(String.format("%016x%016x", s.vsrHi[reg], s.vsrLo[reg]));
        }
        for (long g : new long[] {s.gpr[5], s.gpr[6], s.gpr[7]}) {
            report.append(String.format("%016x", littleEndian ? Long.reverseBytes(g) : g));
        }
        report.append(String.format("%08x", littleEndian ? Integer.reverseBytes(s.cr) : s.cr));
        report.append("0".repeat(8));
        report.append(String.format("%024x%08x", 0, s.vscr));
        for (int k = 0; k < DATA; k++) {
            report.append(String.format("%02x", t.memory.load8(out + k)));
        }
        return report.toString();
    }

    private static long bigEndianLong(byte[] b, int from) {
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = v << 8 | (b[from + k] & 0xff);
        }
        return v;
    }

    // ----------------------------------------------------------------------------------------------- cases

    private static List<Case> cases() {
        IsaTable table = IsaTable.ppc64();
        List<Case> cases = new ArrayList<>();
        for (InsnPattern row : table.patterns()) {
            Access access = access(row);
            if (access == null || SKIPPED.contains(row.mnemonic())) {
                continue;
            }
            for (int round = 0; round < ROUNDS; round++) {
                Random random = new Random(row.mnemonic().hashCode() * 31L + round);
                String text = text(row, random, round);
                long r5 = randomGpr(random);
                if (row.mnemonic().startsWith("VEXTU")) {
                    // The byte index must leave the whole element inside the register (else undefined).
                    int size = row.mnemonic().charAt(5) == 'B' ? 1 : row.mnemonic().charAt(5) == 'H' ? 2 : 4;
                    r5 = random.nextInt(17 - size) | (random.nextLong() & ~15L);
                }
                byte[][] vsr = new byte[VSRS.length][];
                for (int k = 0; k < VSRS.length; k++) {
                    vsr[k] = randomRegister(random);
                }
                long r6 = random.nextInt(16);
                if (access != Access.NONE) {
                    // An index within the 64 data bytes; for the with-length forms a byte count 0..17.
                    r6 = row.mnemonic().matches("L?S?T?XVLL?") ? (long) random.nextInt(18) << 56 : random.nextInt(33);
                }
                byte[] data = new byte[DATA];
                random.nextBytes(data);
                cases.add(new Case(text, vsr, r5, r6, data, access));
                if (row.flags().stream().anyMatch(f -> f.suffix().equals("."))) {
                    cases.add(new Case(text.replaceFirst(" ", ". "), vsr, r5, r6, data, access));
                }
            }
        }
        return cases;
    }

    /** How a vector row takes part: NONE for register-only rows, LOAD/STORE for storage rows, null if not. */
    private static Access access(InsnPattern row) {
        boolean vector = false;
        boolean memory = false;
        for (Operand o : row.operands()) {
            if (o instanceof Operand.Memory) {
                memory = true;
                continue;
            }
            Operand.Value v = (Operand.Value) o;
            vector |= v.kind() == FieldKind.VR || v.kind() == FieldKind.VSR;
            memory |= v.zeroLiteral();
        }
        String m = row.mnemonic();
        if (!vector || m.equals("MTVSCR")) {
            return null; // mtvscr takes part through the harness itself
        }
        if (m.equals("MTVSRDD") || m.equals("LVSL") || m.equals("LVSR")) {
            return Access.NONE;
        }
        if (!memory) {
            return Access.NONE;
        }
        return m.startsWith("L") ? Access.LOAD : Access.STORE;
    }

    private static String text(InsnPattern row, Random random, int round) {
        List<String> ops = new ArrayList<>();
        for (Operand o : row.operands()) {
            if (o instanceof Operand.Memory mem) {
                int scale = mem.displacement().value().asField().scale();
                ops.add(scale * random.nextInt(32 / scale + 1) + "(5)");
                continue;
            }
            Operand.Value v = (Operand.Value) o;
            String name = v.value().asField().name();
            int width = v.value().asField().width();
            ops.add(switch (name) {
                case "vrt", "vrs" -> round == 2 ? "2" : "1";
                case "vra" -> "2";
                case "vrb" -> "3";
                case "vrc" -> "4";
                case "xt", "xs" -> round == 0 ? "1" : round == 1 ? "33" : "34";
                case "xa" -> round == 0 ? "2" : "34";
                case "xb" -> round == 0 ? "35" : round == 1 ? "3" : "34";
                case "xc" -> round == 0 ? "4" : "36";
                case "rt" -> "7";
                case "ra" -> "5";
                case "rb" -> "6";
                case "bf" -> "6";
                case "sim" -> Integer.toString(random.nextInt(32) - 16);
                // An element at byte offset UIM must lie inside the register (else undefined).
                case "uim" -> Integer.toString(random.nextInt(uimLimit(row, width)));
                default -> Integer.toString(random.nextInt(1 << width));
            });
        }
        return row.mnemonic().toLowerCase(Locale.ROOT) + " " + String.join(",", ops);
    }

    private static int uimLimit(InsnPattern row, int width) {
        String m = row.mnemonic();
        if (!m.startsWith("VEXTRACT") && !m.startsWith("VINSERT") && !m.startsWith("XXEXTRACT")
                && !m.startsWith("XXINSERT")) {
            return 1 << width;
        }
        char size = m.charAt(m.length() - 1);
        int bytes = size == 'B' ? 1 : size == 'H' ? 2 : size == 'D' ? 8 : 4;
        return 17 - bytes;
    }

    private static final double[] DOUBLES = {0.0, -0.0, 1.0, -1.5, 0.1, 3.0e300, -2.5e-310, 4.9e-324, 1.0e-300,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 2.5, -3.5, 4294967296.5, -9.3e18, 1.8e19,
        123456789.75, 0.5, 65535.0};
    private static final float[] FLOATS = {0.0f, -0.0f, 1.0f, -1.5f, 0.1f, 3.0e38f, 1.0e-40f, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.NaN, 2.5f, -3.5f, 2147483648.0f, -7.0e9f, 16777217.0f, 0.5f, 255.0f};

    /** Random bytes, or two doubles, or four singles, from the edge-case lists (with a signalling NaN). */
    private static byte[] randomRegister(Random random) {
        long hi;
        long lo;
        switch (random.nextInt(4)) {
            case 0 -> {
                hi = random.nextLong();
                lo = random.nextLong();
            }
            case 1 -> {
                hi = doubleBits(random);
                lo = doubleBits(random);
            }
            case 2 -> {
                hi = (floatBits(random) & 0xFFFF_FFFFL) << 32 | (floatBits(random) & 0xFFFF_FFFFL);
                lo = (floatBits(random) & 0xFFFF_FFFFL) << 32 | (floatBits(random) & 0xFFFF_FFFFL);
            }
            default -> {
                // Small elements, so that sums, compares and saturations hit both sides.
                hi = random.nextLong() & 0x8181_8181_8181_8181L;
                lo = random.nextLong() & 0x0303_0303_8080_FFFFL;
            }
        }
        byte[] b = new byte[16];
        for (int k = 0; k < 8; k++) {
            b[k] = (byte) (hi >>> (56 - 8 * k));
            b[8 + k] = (byte) (lo >>> (56 - 8 * k));
        }
        return b;
    }

    private static long doubleBits(Random random) {
        int pick = random.nextInt(DOUBLES.length + 2);
        if (pick == DOUBLES.length) {
            return 0x7FF4_0000_0000_1234L; // signalling NaN
        }
        if (pick == DOUBLES.length + 1) {
            return 0xFFF8_0000_0000_0042L; // negative quiet NaN with a payload
        }
        return Double.doubleToRawLongBits(DOUBLES[pick]);
    }

    private static int floatBits(Random random) {
        int pick = random.nextInt(FLOATS.length + 1);
        return pick == FLOATS.length ? 0x7FA0_0001 : Float.floatToRawIntBits(FLOATS[pick]);
    }

    private static long randomGpr(Random random) {
        return random.nextBoolean() ? random.nextLong() : random.nextInt(40) - 8;
    }
}
