package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** VMX integer instructions with hand-computed expected vectors (element 0 is the leftmost, Book I 6.3). */
class VectorIntegerOpsTest {

    private final TestCpu t = TestCpu.littleEndian();

    @AfterEach
    void close() {
        t.close();
    }

    private void v(int n, long hi, long lo) {
        t.cpu.vsrHi[32 + n] = hi;
        t.cpu.vsrLo[32 + n] = lo;
    }

    private String v(int n) {
        return String.format("%016x_%016x", t.cpu.vsrHi[32 + n], t.cpu.vsrLo[32 + n]);
    }

    @Test
    void vbpermqGathersTheBitsNamedByEachByte() {
        // VRB's bytes index VRA's bits: 0..15 pick the first 16 bits of VRA; 127 the last; 128 and above give 0.
        v(3, 0x0001_0203_0405_0607L, 0x0809_0a0b_0c0d_0e0fL);
        v(2, 0xa5c3_0000_0000_0000L, 0x0000_0000_0000_0001L);
        t.exec("vbpermq 1,2,3");
        assertThat(v(1)).isEqualTo("000000000000a5c3_0000000000000000");
        v(3, 0x7f80_ff00_0000_0000L, 0);
        t.exec("vbpermq 1,2,3");
        // Byte 0 (127) picks VRA's last bit (1), bytes 1-2 are out of range, bytes 3-15 (0) pick bit 0 (1).
        assertThat(v(1)).isEqualTo("0000000000009fff_0000000000000000");
    }
}
