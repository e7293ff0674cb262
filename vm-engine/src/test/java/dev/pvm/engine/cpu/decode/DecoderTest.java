package dev.pvm.engine.cpu.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.isa.Field;
import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.testing.TestResources;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecoderTest {

    private final IsaTable table = IsaTable.ppc64();
    private final Decoder decoder = new Decoder(table);

    @Test
    void everyRowDecodesToItselfWhateverItsOperandBits() {
        Random random = new Random(42);
        for (InsnPattern p : table.patterns()) {
            int free = ~p.fixedMask();
            for (int i = 0; i < 16; i++) {
                int word = p.fixedBits() | (random.nextInt() & free);
                // operand bits that break a validity condition (lwzu with RA=RT) make an invalid form
                int expected = p.isValidForm(word) ? p.id() : Decoder.ILLEGAL;
                assertThat(decoder.decode(word)).as("%s: 0x%08x", p.mnemonic(), word).isEqualTo(expected);
            }
        }
    }

    @Test
    void wordsOfNoRowAreIllegal() {
        assertThat(decoder.decode(0x00000000)).isEqualTo(Decoder.ILLEGAL);
        assertThat(decoder.decode(0x04000000)).isEqualTo(Decoder.ILLEGAL); // primary opcode 1
        // lwzx with its reserved bit 31 set is an invalid form.
        assertThat(decoder.decode(0x7c64282f)).isEqualTo(Decoder.ILLEGAL);
        assertThat(decoder.decodePattern(0x7c64282e).mnemonic()).isEqualTo("LWZX");
        // lwzu r3,8(r3) and lbzu r3,8(0) break the row's "ra!=0 ra!=rt": invalid forms, as binutils says too.
        assertThat(decoder.decode(0x84630008)).isEqualTo(Decoder.ILLEGAL);
        assertThat(decoder.decode(0x8c600008)).isEqualTo(Decoder.ILLEGAL);
        assertThat(decoder.decodePattern(0x84640008).mnemonic()).isEqualTo("LWZU");
        // mfocrf needs exactly one FXM bit; mftb only reads TB and TBU
        assertThat(decoder.decode(0x7c730026)).isEqualTo(Decoder.ILLEGAL);
        assertThat(decoder.decodePattern(0x7c708026).mnemonic()).isEqualTo("MFOCRF");
        assertThat(decoder.decodePattern(0x7c6c42e6).mnemonic()).isEqualTo("MFTB");
        assertThat(decoder.decode(0x7c6c42e6 + (2 << 11))).as("mftb r3,270").isEqualTo(Decoder.ILLEGAL);
    }

    @Test
    void knownWordsDecodeToTheirRows() {
        assertThat(decoder.decodePattern(0x3861ffff).mnemonic()).isEqualTo("ADDI");
        assertThat(decoder.decodePattern(0x7c641b78).mnemonic()).isEqualTo("OR");
        assertThat(decoder.decodePattern(0x44000022).mnemonic()).isEqualTo("SC");
        assertThat(decoder.decodePattern(0x4e800020).mnemonic()).isEqualTo("BCLR");
        assertThat(decoder.decodePattern(0x78830020).mnemonic()).isEqualTo("RLDICL");
        assertThat(decoder.decodePattern(0x4c000024).mnemonic()).isEqualTo("RFID");
    }

    @Test
    void decodingIsAShallowTree() {
        // Primary opcode, extended opcode, then the few reserved or fixed operand bits that split the rest.
        assertThat(decoder.depth()).isLessThanOrEqualTo(6);
    }

    @Test
    void firstRowOfAnOverlapGroupWins() {
        IsaTable t = IsaTable.parse(TestResources.text("/isa/tables/ok_overlap_group.isa"), "ok_overlap_group");
        Decoder d = new Decoder(t);
        int zero = (31 << 26) | (3 << 21) | (4 << 16) | (444 << 1);
        assertThat(d.decodePattern(zero).mnemonic()).isEqualTo("ZERO");
        assertThat(d.decodePattern(zero | (5 << 11)).mnemonic()).isEqualTo("ORX");
        assertThat(d.decodePattern((31 << 26) | (445 << 1)).mnemonic()).isEqualTo("OTHER");
        assertThat(d.decode((31 << 26) | (446 << 1))).isEqualTo(Decoder.ILLEGAL);
    }

    @Test
    void fieldsOfDecodedRowsReadTheOperands() {
        InsnPattern ld = decoder.decodePattern(0xe8610008); // ld r3,8(r1)
        Field rt = ld.field("rt");
        Field ds = ld.field("ds");
        assertThat(ld.mnemonic()).isEqualTo("LD");
        assertThat(rt.extract(0xe8610008)).isEqualTo(3);
        assertThat(ds.extract(0xe8610008)).isEqualTo(8);
    }
}
