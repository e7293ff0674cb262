package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pvm.engine.testing.ExternalTools;
import dev.pvm.engine.testing.TestResources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixed-point instructions against QEMU, value for value: {@code isa/programs/fixed_point_vectors.c} runs
 * about 75 instructions (every add/subtract/multiply/divide/modulo form with OE and Rc, multiply-add, addex,
 * shifts, counts, byte compares, ...) over 13 edge operands each (0, 1, 32, 63, 64, the 32- and 64-bit extremes,
 * -1, -7 and a pattern), with XER clear and with SO/OV/CA/OV32/CA32 all set, under {@code qemu-ppc64le -cpu
 * power9}, and every resulting RT, XER and CR must be what our interpreter computes. That covers the ISA's
 * undefined results too (division by zero and overflow), where we follow QEMU.
 *
 * <p>Skipped when powerpc64le-linux-gnu-gcc or qemu-ppc64le is not installed.
 */
class QemuFixedPointVectorsTest {

    private static final String GCC = "powerpc64le-linux-gnu-gcc";
    private static final String QEMU = "qemu-ppc64le";
    private static final int MAX_REPORTED = 40;

    @Test
    void interpreterAgreesWithQemuOnEveryVector(@TempDir Path dir) throws Exception {
        assumeTrue(ExternalTools.available(GCC, QEMU), GCC + " or " + QEMU + " is not installed");
        Path source = TestResources.moduleDir().resolve("src/test/resources/isa/programs/fixed_point_vectors.c");
        ExternalTools.run(dir, GCC, "-O1", "-mcpu=power9", "-static", "-o", "vectors", source.toString());
        String output = ExternalTools.run(dir, QEMU, "-cpu", "power9", dir.resolve("vectors").toString());

        List<String[]> vectors = new ArrayList<>();
        Map<String, Long> addresses = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\\|");
            assertThat(f).as("vector line '%s'", line).hasSize(8);
            vectors.add(f);
            addresses.putIfAbsent(f[0], TestCpu.CODE + 4L * addresses.size());
        }
        assertThat(vectors).hasSizeGreaterThan(20_000);

        List<String> mismatches = new ArrayList<>();
        int wrong = 0;
        try (TestCpu t = TestCpu.littleEndian()) {
            t.code(addresses.keySet().toArray(String[]::new));
            for (String[] f : vectors) {
                long a = hex(f[1]);
                long b = hex(f[2]);
                long c = hex(f[3]);
                long xerIn = hex(f[4]);
                t.set(3, 0).set(4, a).set(5, b).set(6, c);
                t.cpu.setXer(xerIn);
                t.cpu.cr = 0;
                t.cpu.nia = addresses.get(f[0]);
                assertThat(t.run(1)).as("%s completes", f[0]).isEqualTo(1);
                long rt = t.r(3);
                long xer = t.cpu.xer();
                long cr = t.cpu.cr & 0xFFFF_FFFFL;
                if (rt != hex(f[5]) || xer != hex(f[6]) || cr != hex(f[7])) {
                    if (++wrong <= MAX_REPORTED) {
                        mismatches.add(String.format("%s with a=%x b=%x c=%x xer=%x: qemu r3=%s xer=%s cr=%s, "
                                + "ours r3=%x xer=%x cr=%x", f[0], a, b, c, xerIn, f[5], f[6], f[7], rt, xer, cr));
                    }
                }
            }
        }
        assertThat(wrong).as("vectors where we differ from QEMU (first %d):%n%s", MAX_REPORTED,
                String.join("\n", mismatches)).isZero();
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s, 16);
    }
}
