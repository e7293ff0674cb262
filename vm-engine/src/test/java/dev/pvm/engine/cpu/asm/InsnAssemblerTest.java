package dev.pvm.engine.cpu.asm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.disasm.Disassembler;
import dev.pvm.engine.cpu.isa.IsaTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InsnAssemblerTest {

    private final InsnAssembler asm = new InsnAssembler(IsaTable.ppc64());
    private final Disassembler dis = new Disassembler(new Decoder(IsaTable.ppc64()));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // Encodings as binutils produces them (shared/facts: the RTAS stub) and objdump shows them.
        "or r4,r3,r3        | 7c641b78",
        "addis r3,0,0       | 3c600000",
        "ori r3,r3,0xf000   | 6063f000",
        "sc 1               | 44000022",
        "bclr 20,0,0        | 4e800020",
        "addo. 3,4,5        | 7c642e15",
        "ld r3,8(r1)        | e8610008",
        "stdu r1,-32(r1)    | f821ffe1",
        "lwbrx r3,0,r4      | 7c60242c",
        "rldicl r3,r4,60,4  | 7883e102",
        "cmp cr7,1,r3,r4    | 7fa32000",
        "bc 12,4*cr7+eq,0x40| 419e0040",
        "mtspr 26,r3        | 7c7a03a6",
        "mtmsrd r12,1       | 7d810164",
        "stwcx. r3,0,r5     | 7c60292d"})
    void encodesLikeBinutils(String text, String hex) {
        assertThat(asm.assemble(text.strip())).isEqualTo(Integer.parseUnsignedInt(hex.strip(), 16));
    }

    @Test
    void relativeBranchesAreRelativeToTheirAddress() {
        assertThat(asm.assemble("b 0x100", 0x80)).isEqualTo(0x48000080);
        assertThat(asm.assemble("bla 0x100", 0x80)).isEqualTo(0x48000103);
        assertThat(dis.disassemble(asm.assemble("bl 0x10", 0x40), 0x40)).isEqualTo("bl      10");
    }

    @Test
    void omittedOptionalOperandsTakeTheirDefault() {
        assertThat(asm.assemble("sc")).isEqualTo(0x44000002);
        assertThat(asm.assemble("mtmsrd r3")).isEqualTo(0x7c600164);
    }

    @Test
    void explainsWhatIsWrong() {
        assertThatThrownBy(() -> asm.assemble("frobnicate r1")).hasMessageContaining("unknown instruction 'frobnicate'");
        assertThatThrownBy(() -> asm.assemble("addi r3,r1")).hasMessageContaining("addi takes 3 operands, got 2");
        assertThatThrownBy(() -> asm.assemble("addi r3,r1,40000")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> asm.assemble("addi r33,r1,1")).hasMessageContaining("no register r33");
        assertThatThrownBy(() -> asm.assemble("ld r3,6(r1)")).hasMessageContaining("multiple of 4");
    }
}
