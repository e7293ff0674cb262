package dev.pvm.engine.cpu.disasm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.testing.DebianBusybox;
import dev.pvm.engine.testing.ExternalTools;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The decoder and disassembler against binutils over a real program: every word of the {@code .text} section of
 * Debian's ppc64el {@code busybox-static} (fetched and cached by {@code scripts/debian-busybox.sh}) is
 * disassembled by us and by {@code powerpc64le-linux-gnu-objdump -d}, and the two texts are compared (objdump's
 * {@code <symbol+off>} annotations aside).
 *
 * <ul>
 *   <li>Every word we decode must read exactly as objdump prints it, and every word objdump leaves as
 *       {@code .long} must be {@code .long} for us too (reserved bits, invalid forms). Any difference fails.</li>
 *   <li>Words objdump decodes and we do not (rows still missing from the table) are counted and reported, with
 *       the first few per mnemonic. The share of objdump's instructions we decode may only go up:
 *       {@link #COVERAGE_FLOOR_PERCENT} records what this table reaches.</li>
 * </ul>
 *
 * <p>Skipped, with the reason, when objdump is not installed or busybox cannot be fetched (set {@code PVM_BUSYBOX}
 * to a busybox-static path to skip the fetch).
 */
class BusyboxObjdumpOracleTest {

    /** Percentage of objdump-decoded words that we decode, as reached by this table; raise it as rows land. */
    static final double COVERAGE_FLOOR_PERCENT = 100.0;

    private static final String OBJDUMP = "powerpc64le-linux-gnu-objdump";
    private static final int EXAMPLES_PER_MNEMONIC = 3;

    @Test
    void everyBusyboxInstructionDisassemblesAsObjdumpPrintsIt() throws Exception {
        ExternalTools.requireOracle(ExternalTools.available(OBJDUMP), OBJDUMP);
        Path busybox = DebianBusybox.path();
        ExternalTools.requireOracle(busybox != null, "Debian's busybox-static (scripts/debian-busybox.sh, or PVM_BUSYBOX)");
        byte[] elf = Files.readAllBytes(busybox);
        TextSection text = TextSection.of(elf);
        ByteBuffer code = ByteBuffer.wrap(elf, (int) text.fileOffset, (int) text.size).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        Disassembler dis = new Disassembler(new Decoder(IsaTable.ppc64()));

        Map<String, List<String>> wrong = new TreeMap<>();
        Map<String, Integer> wrongCount = new TreeMap<>();
        Map<String, List<String>> missing = new LinkedHashMap<>();
        Map<String, Integer> missingCount = new TreeMap<>();
        long objdumpDecoded = 0;
        long weDecode = 0;
        long agree = 0;
        long lines = 0;
        Process p = new ProcessBuilder(OBJDUMP, "-d", "-z", "-j", ".text", "--no-show-raw-insn", busybox.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8),
                1 << 16)) {
            String line;
            while ((line = r.readLine()) != null) {
                // "    10000520:\taddis   r2,r12,1" (instruction lines only: address, colon, tab)
                int colon = line.indexOf(':');
                if (colon <= 0 || colon + 1 >= line.length() || line.charAt(colon + 1) != '\t'
                        || line.charAt(0) != ' ') {
                    continue;
                }
                long address = Long.parseLong(line.substring(0, colon).strip(), 16);
                int insn = code.getInt((int) (address - text.address));
                String theirs = objdumpText(line.substring(colon + 2), insn);
                String ours = dis.disassemble(insn, address);
                lines++;
                boolean theyDecode = !theirs.startsWith(".long");
                boolean weDecodeIt = !ours.startsWith(".long");
                if (theyDecode) {
                    objdumpDecoded++;
                }
                if (weDecodeIt) {
                    weDecode++;
                }
                if (ours.equals(theirs)) {
                    agree++;
                } else if (theyDecode && !weDecodeIt) {
                    String mnemonic = mnemonic(theirs);
                    missingCount.merge(mnemonic, 1, Integer::sum);
                    List<String> ex = missing.computeIfAbsent(mnemonic, k -> new ArrayList<>());
                    if (ex.size() < EXAMPLES_PER_MNEMONIC) {
                        ex.add(String.format("%x: %08x objdump '%s'", address, insn, theirs));
                    }
                } else {
                    String mnemonic = mnemonic(theirs);
                    wrongCount.merge(mnemonic, 1, Integer::sum);
                    List<String> ex = wrong.computeIfAbsent(mnemonic, k -> new ArrayList<>());
                    if (ex.size() < EXAMPLES_PER_MNEMONIC) {
                        ex.add(String.format("%x: %08x objdump '%s' ours '%s'", address, insn, theirs, ours));
                    }
                }
            }
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertThat(p.exitValue()).as(OBJDUMP + " exit status").isZero();
        assertThat(lines).as("objdump lists every word of .text").isEqualTo(text.size / 4);

        long agreeingDecoded = agree - (lines - objdumpDecoded);
        double coverage = 100.0 * agreeingDecoded / objdumpDecoded;
        StringBuilder report = new StringBuilder(String.format(
                "busybox .text: %d words, objdump decodes %d, we decode %d, agreement on %d (%.3f%% of objdump's "
                        + "instructions)%n", lines, objdumpDecoded, weDecode, agreeingDecoded, coverage));
        if (!missingCount.isEmpty()) {
            report.append("not in the table yet (mnemonic: count, examples):\n");
            missingCount.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> report
                    .append("  ").append(e.getKey()).append(": ").append(e.getValue()).append("  ")
                    .append(missing.get(e.getKey())).append('\n'));
        }
        System.out.print(report);

        StringBuilder mismatches = new StringBuilder();
        wrongCount.forEach((m, n) -> mismatches.append("  ").append(m).append(": ").append(n).append("  ")
                .append(wrong.get(m)).append('\n'));
        assertThat(wrongCount).as("words our table decodes differently from objdump:%n%s", mismatches).isEmpty();
        assertThat(coverage).as("share of objdump's instructions we decode (the floor only goes up)")
                .isGreaterThanOrEqualTo(COVERAGE_FLOOR_PERCENT);
    }

    /**
     * objdump's text for one word in the form our disassembler prints: without a symbol annotation
     * ({@code bl 10001234 <memcpy+0x8>}), and for a stripped binary such as this one, where objdump writes branch
     * targets with a {@code 0x} prefix because no symbol follows, without that prefix (I- and B-form branches,
     * primary opcodes 18 and 16, are the only instructions whose operands objdump prints in hexadecimal).
     */
    static String objdumpText(String text, int insn) {
        String s = text.strip();
        int angle = s.lastIndexOf(" <");
        if (angle >= 0 && s.endsWith(">")) {
            s = s.substring(0, angle);
        }
        int primary = insn >>> 26;
        if ((primary == 16 || primary == 18) && !s.startsWith(".long")) {
            s = s.replace("0x", "");
        }
        return s.strip();
    }

    private static String mnemonic(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    /** The .text section of a little-endian ELF64 file, found through the section headers. */
    record TextSection(long address, long fileOffset, long size) {

        static TextSection of(byte[] elf) {
            ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getInt(0) != 0x464c457f || elf[4] != 2 || elf[5] != 1) {
                throw new IllegalArgumentException("not a little-endian ELF64 file");
            }
            long shoff = b.getLong(0x28);
            int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
            int shnum = Short.toUnsignedInt(b.getShort(0x3c));
            int shstrndx = Short.toUnsignedInt(b.getShort(0x3e));
            long strtab = b.getLong((int) (shoff + (long) shstrndx * shentsize + 0x18));
            for (int i = 0; i < shnum; i++) {
                int h = (int) (shoff + (long) i * shentsize);
                int nameOffset = (int) (strtab + Integer.toUnsignedLong(b.getInt(h)));
                if (".text".equals(cString(elf, nameOffset))) {
                    return new TextSection(b.getLong(h + 0x10), b.getLong(h + 0x18), b.getLong(h + 0x20));
                }
            }
            throw new IllegalArgumentException("no .text section");
        }

        private static String cString(byte[] data, int offset) {
            int end = offset;
            while (end < data.length && data[end] != 0) {
                end++;
            }
            return new String(data, offset, end - offset, StandardCharsets.US_ASCII);
        }
    }
}
