package dev.pvm.engine.cpu.disasm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reserved bits and operand fields against binutils: for every row of the table, random words that match it
 * (operand bits random), and words with one of its fixed or reserved bits flipped, are disassembled by us and by
 * {@code powerpc64le-linux-gnu-objdump}. Where we decode a word, the text must be objdump's; where objdump
 * prints {@code .long} (an invalid form: a reserved bit set), we must too. Words that objdump decodes as
 * instructions the table does not have (other facilities, POWER10) are not our concern here.
 */
class RandomWordObjdumpOracleTest {

    private static final String AS = "powerpc64le-linux-gnu-as";
    private static final String OBJDUMP = "powerpc64le-linux-gnu-objdump";
    private static final int WORDS_PER_ROW = 24;
    private static final int FLIPPED_PER_ROW = 24;

    /** The BO values of the Power ISA v2.00+ encoding that binutils accepts (its valid_bo_post_v2). */
    private static final int[] VALID_BO = {0, 2, 4, 6, 7, 8, 10, 12, 14, 15, 16, 18, 20, 24, 25, 26, 27};
    /** SPRs the engine implements, plus a few it does not (each has no binutils name of its own). */
    private static final int[] SPRS = {1, 3, 8, 9, 17, 18, 19, 26, 27, 256, 268, 269, 272, 273, 274, 275, 287, 896,
        898, 1023, 2, 100, 200};

    /**
     * Two known gaps, kept out of the random words until the table can express them: binutils rejects reserved BO
     * encodings and then retries them with the pre-v2 "y bit" rules of its other dialects (printing {@code bgta}
     * or {@code bc-} for them), and it names dozens of SPRs of older processors ({@code mtpmc6}). Conditional
     * branches therefore get a valid BO, and mfspr/mtspr an SPR from {@link #SPRS}; every other field stays random.
     */
    /**
     * A third gap: the floating-point pair loads and stores share their opcodes with POWER2's lfq/stfq and the
     * Gekko's paired-single psq_* instructions, and objdump without a -M option prints those dialects' names for
     * them. Their disassembly is checked against objdump in ObjdumpAgreementTest instead.
     */
    private static final java.util.Set<String> OTHER_DIALECT_ROWS = java.util.Set.of("LFDP", "LFDPX", "STFDP", "STFDPX");

    private static int restrict(InsnPattern row, int word, Random random) {
        if (row.hasField("bo")) {
            return (word & ~row.field("bo").wordMask()) | row.field("bo").encodeRaw(VALID_BO[random.nextInt(VALID_BO.length)]);
        }
        if (row.mnemonic().equals("MFSPR") || row.mnemonic().equals("MTSPR")) {
            return (word & ~row.field("spr").wordMask()) | row.field("spr").encodeRaw(SPRS[random.nextInt(SPRS.length)]);
        }
        return word;
    }

    @Test
    void randomWordsDisassembleAsObjdumpPrintsThem(@TempDir Path dir) throws Exception {
        ExternalTools.requireOracle(ExternalTools.available(AS, OBJDUMP), "binutils for powerpc64le");
        IsaTable table = IsaTable.ppc64();
        Disassembler dis = new Disassembler(new Decoder(table));
        Random random = new Random(20261124);
        List<Integer> words = new ArrayList<>();
        for (InsnPattern row : table.patterns()) {
            for (int k = 0; k < WORDS_PER_ROW; k++) {
                words.add(restrict(row, row.fixedBits() | (random.nextInt() & ~row.fixedMask()), random));
            }
            int fixed = row.fixedMask();
            for (int k = 0; k < FLIPPED_PER_ROW; k++) {
                int bit = 1 << random.nextInt(32);
                if ((fixed & bit) == 0 || (bit & 0xfc00_0000) != 0) {
                    continue;
                }
                words.add(restrict(row, (row.fixedBits() | (random.nextInt() & ~fixed)) ^ bit, random));
            }
        }
        StringBuilder source = new StringBuilder("        .text\n");
        for (int w : words) {
            source.append("        .long 0x").append(Integer.toHexString(w)).append('\n');
        }
        Files.writeString(dir.resolve("words.s"), source);
        ExternalTools.run(dir, AS, "-a64", "-o", "words.o", "words.s");
        String objdump = ExternalTools.run(dir, OBJDUMP, "-d", "-z", "--no-show-raw-insn", "words.o");

        Map<String, List<String>> wrong = new TreeMap<>();
        int compared = 0;
        int wrongCount = 0;
        for (String line : objdump.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0 || colon + 1 >= line.length() || line.charAt(colon + 1) != '\t' || line.charAt(0) != ' ') {
                continue;
            }
            long address = Long.parseLong(line.substring(0, colon).strip(), 16);
            int insn = words.get((int) (address / 4));
            String theirs = BusyboxObjdumpOracleTest.objdumpText(line.substring(colon + 2), insn);
            String ours = dis.disassemble(insn, address);
            compared++;
            if (OTHER_DIALECT_ROWS.contains(ours.split(" ")[0].toUpperCase(java.util.Locale.ROOT))) {
                continue;
            }
            boolean weDecode = !ours.startsWith(".long");
            boolean theyDecode = !theirs.startsWith(".long");
            if (ours.equals(theirs) || (theyDecode && !weDecode)) {
                continue;
            }
            wrongCount++;
            String key = theirs.split(" ")[0] + " / " + ours.split(" ")[0];
            List<String> ex = wrong.computeIfAbsent(key, x -> new ArrayList<>());
            if (ex.size() < 3) {
                ex.add(String.format("%08x objdump '%s' ours '%s'", insn, theirs, ours));
            }
        }
        assertThat(compared).isEqualTo(words.size());
        StringBuilder report = new StringBuilder();
        wrong.forEach((k, v) -> report.append("  ").append(k).append(": ").append(v).append('\n'));
        assertThat(wrongCount).as("random words where we differ from objdump (objdump / ours):%n%s", report).isZero();
    }
}
