package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Byte order of the vector loads and stores (Book I 6.7.1, 7.3.1): memory holds 00 01 02 ... 1f from DATA on;
 * registers are printed as element 0 (leftmost) first.
 */
class VectorLoadStoreOpsTest {

    private static final long D = TestCpu.DATA;
    private TestCpu t;

    @AfterEach
    void close() {
        t.close();
    }

    private void in(TestCpu cpu) {
        t = cpu;
        for (int i = 0; i < 32; i++) {
            t.memory.store8(D + i, i);
        }
        t.set(5, D).set(6, 0);
    }

    private String vsr(int n) {
        return String.format("%016x_%016x", t.cpu.vsrHi[n], t.cpu.vsrLo[n]);
    }

    @Test
    void bigEndianQuadwordAndElementLoadsAllReadMemoryOrder() {
        in(TestCpu.bigEndian());
        t.exec("lvx 1,5,6", "lxvx 34,5,6", "lxvd2x 35,5,6", "lxvw4x 36,5,6", "lxvb16x 37,5,6");
        for (int v = 33; v <= 37; v++) {
            assertThat(vsr(v)).as("vs%d", v).isEqualTo("0001020304050607_08090a0b0c0d0e0f");
        }
    }

    @Test
    void littleEndianLoadsDifferInWhatTheyReverse() {
        in(TestCpu.littleEndian());
        t.set(7, 3).exec("lvx 1,5,6", "lxvd2x 34,5,6", "lxvw4x 35,5,6", "lxvh8x 36,5,6", "lxvb16x 37,5,6",
                "lxv 38,16(5)", "lvx 7,5,7");
        // The quadword loads reverse all 16 bytes, the element loads each element, lxvb16x nothing.
        assertThat(vsr(33)).isEqualTo("0f0e0d0c0b0a0908_0706050403020100");
        assertThat(vsr(34)).isEqualTo("0706050403020100_0f0e0d0c0b0a0908");
        assertThat(vsr(35)).isEqualTo("0302010007060504_0b0a09080f0e0d0c");
        assertThat(vsr(36)).isEqualTo("0100030205040706_09080b0a0d0c0f0e");
        assertThat(vsr(37)).isEqualTo("0001020304050607_08090a0b0c0d0e0f");
        assertThat(vsr(38)).isEqualTo("1f1e1d1c1b1a1918_1716151413121110");
        // lvx ignores the low four bits of the address.
        assertThat(vsr(39)).isEqualTo(vsr(33));
    }

    @Test
    void elementLoadsPlaceTheElementByItsAddress() {
        in(TestCpu.bigEndian());
        t.set(6, 5).exec("vspltisb 1,0", "lvebx 1,5,6", "vspltisb 2,0", "lvewx 2,5,6");
        assertThat(vsr(33)).isEqualTo("0000000000050000_0000000000000000");
        assertThat(vsr(34)).isEqualTo("0000000004050607_0000000000000000");
        t.close();
        in(TestCpu.littleEndian());
        t.set(6, 5).exec("vspltisb 1,0", "lvebx 1,5,6");
        assertThat(vsr(33)).isEqualTo("0000000000000000_0000050000000000");
    }

    @Test
    void shiftControlVectorsForUnalignedAddresses() {
        in(TestCpu.littleEndian());
        t.set(6, 3).exec("lvsl 1,5,6", "lvsr 2,5,6");
        assertThat(vsr(33)).isEqualTo("030405060708090a_0b0c0d0e0f101112");
        assertThat(vsr(34)).isEqualTo("0d0e0f1011121314_15161718191a1b1c");
    }

    @Test
    void loadWithLengthZeroFillsAndTakesTheCountFromTheTopByte() {
        in(TestCpu.littleEndian());
        t.set(6, 5L << 56).exec("lxvl 33,5,6", "lxvll 34,5,6");
        assertThat(vsr(33)).isEqualTo("0000000000000000_0000000403020100");
        assertThat(vsr(34)).isEqualTo("0001020304000000_0000000000000000");
        t.set(6, 200L << 56).exec("lxvl 35,5,6");
        assertThat(vsr(35)).isEqualTo("0f0e0d0c0b0a0908_0706050403020100");
    }

    @Test
    void storesMirrorTheLoads() {
        in(TestCpu.littleEndian());
        t.cpu.vsrHi[40] = 0x1011_1213_1415_1617L;
        t.cpu.vsrLo[40] = 0x1819_1a1b_1c1d_1e1fL;
        t.set(6, 3L << 56).set(7, 0).exec("stxvd2x 40,5,7", "stxvl 40,5,6");
        // stxvl stored bytes 15, 14, 13 (the rightmost) first, over stxvd2x's first doubleword.
        assertThat(t.memory.load64(D, java.nio.ByteOrder.BIG_ENDIAN)).isEqualTo(0x1f1e_1d14_1312_1110L);
        assertThat(t.memory.load64(D + 8, java.nio.ByteOrder.BIG_ENDIAN)).isEqualTo(0x1f1e_1d1c_1b1a_1918L);
    }

    @Test
    void scalarLoadsFillDoublewordZero() {
        in(TestCpu.bigEndian());
        t.memory.store32(D + 16, Float.floatToRawIntBits(-1.5f), java.nio.ByteOrder.BIG_ENDIAN);
        t.memory.store32(D + 20, 0x7f80_0001, java.nio.ByteOrder.BIG_ENDIAN); // a signalling NaN
        t.exec("lxssp 1,16(5)", "lxssp 2,20(5)", "lxsiwax 3,5,6", "mfvsrd 8,3");
        assertThat(t.cpu.vsrHi[33]).isEqualTo(Double.doubleToRawLongBits(-1.5));
        // The single-to-double conversion of a load keeps a signalling NaN signalling.
        assertThat(t.cpu.vsrHi[34]).isEqualTo(0x7ff0_0000_2000_0000L);
        assertThat(t.r(8)).isEqualTo(0x0001_0203L);
    }

    @Test
    void loadPairPutsTheSecondQuadwordInTheEvenRegisterOnLittleEndian() {
        in(TestCpu.littleEndian());
        t.exec("lxvp 34,0(5)");
        assertThat(vsr(34)).isEqualTo("1f1e1d1c1b1a1918_1716151413121110");
        assertThat(vsr(35)).isEqualTo("0f0e0d0c0b0a0908_0706050403020100");
        t.close();
        in(TestCpu.bigEndian());
        t.exec("lxvp 34,16(5)");
        assertThat(vsr(34)).isEqualTo("1011121314151617_18191a1b1c1d1e1f");
    }
}
