package dev.pvm.engine.cpu.disasm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.testing.ExternalTools;
import dev.pvm.engine.testing.TestResources;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The oracle for the decoder and disassembler: binutils assembles programs that use every row and extended
 * mnemonic of the table (coverage.s, and one file per further facility: float.s), and for every word our text
 * must equal objdump's (its symbol annotations aside).
 * Skipped when the cross binutils are not installed.
 */
class ObjdumpAgreementTest {

    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t(?:[0-9a-f]{2} ){4}\\t(.*)$");

    @ParameterizedTest
    @ValueSource(strings = {"powerpc64le-linux-gnu", "powerpc64-linux-gnu"})
    void disassemblyMatchesObjdump(String prefix, @TempDir Path dir) throws Exception {
        assertAgreement(prefix, dir, "coverage.s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"powerpc64le-linux-gnu", "powerpc64-linux-gnu"})
    void floatingPointDisassemblyMatchesObjdump(String prefix, @TempDir Path dir) throws Exception {
        assertAgreement(prefix, dir, "float.s");
    }

    private static void assertAgreement(String prefix, Path dir, String program) throws Exception {
        ExternalTools.requireOracle(ExternalTools.available(prefix + "-as", prefix + "-objdump", prefix + "-objcopy"),
                "binutils for " + prefix + "");
        Path source = TestResources.moduleDir().resolve("src/test/resources/isa/programs/" + program);
        ExternalTools.run(dir, prefix + "-as", "-a64", "-mpower9", "-o", "coverage.o", source.toString());
        ExternalTools.run(dir, prefix + "-objcopy", "-O", "binary", "-j", ".text", "coverage.o", "coverage.bin");
        String objdump = ExternalTools.run(dir, prefix + "-objdump", "-d", "coverage.o");
        ByteBuffer code = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("coverage.bin")))
                .order(prefix.startsWith("powerpc64le") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        Disassembler dis = new Disassembler(new Decoder(IsaTable.ppc64()));

        List<String> theirs = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        for (String line : objdump.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            long address = Long.parseLong(m.group(1), 16);
            theirs.add(address + ": " + m.group(2).replaceAll(" <[^>]*>$", ""));
            ours.add(address + ": " + dis.disassemble(code.getInt((int) address), address));
        }
        assertThat(theirs).hasSize(code.capacity() / 4);
        assertThat(ours).containsExactlyElementsOf(theirs);
    }
}
