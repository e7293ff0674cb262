package dev.pvm.engine.cpu.disasm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.decode.Decoder;
import dev.pvm.engine.cpu.isa.IsaTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DisassemblerTest {

    private final Disassembler dis = new Disassembler(new Decoder(IsaTable.ppc64()));

    @ParameterizedTest(name = "0x{0} at 0x{1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "3861ffff | 0   | addi    r3,r1,-1",
        "3860ffff | 0   | li      r3,-1",
        "6063f000 | 0   | ori     r3,r3,61440",
        "60000000 | 0   | nop",
        "7c641b78 | 0   | mr      r4,r3",
        "7c642e15 | 0   | addo.   r3,r4,r5",
        "7fa32000 | 0   | cmpd    cr7,r3,r4",
        "7c032000 | 0   | cmpw    r3,r4",
        "4bffff88 | 78  | b       0",
        "41820018 | 80  | beq     98",
        "409e0014 | 84  | bne     cr7,98",
        "41e00008 | 90  | blt+    98",
        "4e800020 | 0   | blr",
        "4c9e0020 | 0   | bnelr   cr7",
        "4d820820 | 0   | beqlr   cr0,1",
        "4c2000d0 | 0   | .long 0x4c2000d0",
        "44000022 | 0   | sc      1",
        "44000002 | 0   | sc",
        "e8610008 | 0   | ld      r3,8(r1)",
        "7c60242c | 0   | lwbrx   r3,0,r4",
        "88640001 | 0   | lbz     r3,1(r4)",
        "7c7a02a6 | 0   | mfsrr0  r3",
        "7c7142a6 | 0   | mfsprg  r3,1",
        "78830020 | 0   | clrldi  r3,r4,32",
        "788326e4 | 0   | sldi    r3,r4,4",
        "5483103a | 0   | slwi    r3,r4,2",
        "4c000024 | 0   | rfid",
        "7c0004ac | 0   | hwsync",
        "7c2004ac | 0   | lwsync",
        "7c8004ac | 0   | .long 0x7c8004ac",
        "08000048 | 0   | tdi     0,r0,72",
        "7fe00008 | 0   | trap",
        "00000000 | 0   | .long 0x0",
        "429f0005 | 18  | bcl     20,4*cr7+so,1c",
        "4c2000d0 | 0   | .long 0x4c2000d0",
    })
    void printsAsObjdumpDoes(String hex, String address, String expected) {
        int word = Integer.parseUnsignedInt(hex.strip(), 16);
        assertThat(dis.disassemble(word, Long.parseLong(address.strip(), 16))).isEqualTo(expected.strip());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "48000103 | bla     100",
        "42400008 | bdz     8"})
    void absoluteBranchesPrintTheirTarget(String hex, String expected) {
        // ba/bla targets do not depend on the address; a relative bdz does.
        assertThat(dis.disassemble(Integer.parseUnsignedInt(hex.strip(), 16), 0)).isEqualTo(expected.strip());
        assertThat(dis.disassemble(0x48000103, 0x4000)).isEqualTo("bla     100");
    }
}
