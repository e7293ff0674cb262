package dev.pvm.engine.cpu.isa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FieldTest {

    private static Field field(int start, int end, boolean signed, int scale) {
        return new Field("f", new int[] {start}, new int[] {end}, signed, scale, FieldKind.IMM, null);
    }

    @Test
    void extractsUnsignedAndSignedValues() {
        Field si = field(16, 31, true, 1);
        assertThat(si.extract(0x0000_ffff)).isEqualTo(-1);
        assertThat(si.extract(0x0000_7fff)).isEqualTo(32767);
        assertThat(si.raw(0x0000_ffff)).isEqualTo(0xffff);
        Field ui = field(16, 31, false, 1);
        assertThat(ui.extract(0x0000_ffff)).isEqualTo(0xffff);
    }

    @Test
    void scalesDsDisplacements() {
        // ds is bits 16:29, stored divided by 4: raw 0x3fff is -1, i.e. -4 bytes.
        Field ds = field(16, 29, true, 4);
        assertThat(ds.extract(0xfffc)).isEqualTo(-4);
        assertThat(ds.encode(-8)).isEqualTo(0xfff8);
        assertThatThrownBy(() -> ds.encode(6)).hasMessageContaining("multiple of 4");
    }

    @Test
    void joinsPiecesMostSignificantFirst() {
        // MD-form sh: sh5 at bit 30, sh0:4 at bits 16:20.
        Field sh = new Field("sh", new int[] {30, 16}, new int[] {30, 20}, false, 1, FieldKind.IMM, null);
        int word = (1 << 1) | (0b00011 << 11);
        assertThat(sh.extract(word)).isEqualTo(0b100011);
        assertThat(sh.encode(0b100011)).isEqualTo(word);
        assertThat(sh.wordMask()).isEqualTo((1 << 1) | (0x1f << 11));
    }

    @Test
    void rejectsValuesThatDoNotFit() {
        Field si = field(16, 31, true, 1);
        assertThatThrownBy(() -> si.encode(32768)).hasMessageContaining("out of range -32768..32767");
        Field ui = field(27, 31, false, 1);
        assertThatThrownBy(() -> ui.encode(-1)).hasMessageContaining("out of range 0..31");
    }

    @Test
    void rejectsOverlappingPieces() {
        assertThatThrownBy(() -> new Field("x", new int[] {0, 3}, new int[] {5, 8}, false, 1, FieldKind.IMM, null))
                .hasMessageContaining("overlap");
    }
}
