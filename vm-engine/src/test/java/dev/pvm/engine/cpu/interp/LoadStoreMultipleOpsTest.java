package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** lq/stq, lmw/stmw and the string instructions; lq/stq orders checked under qemu-ppc64le and qemu-ppc64. */
class LoadStoreMultipleOpsTest {

    private static final long D = TestCpu.DATA;

    private static void bytes(TestCpu t, long address, int count) {
        for (int i = 0; i < count; i++) {
            t.memory.store8(address + i, i + 1);
        }
    }

    @Test
    void quadwordPairFollowsTheByteOrder() {
        try (TestCpu le = TestCpu.littleEndian(); TestCpu be = TestCpu.bigEndian()) {
            bytes(le, D, 32);
            bytes(be, D, 32);
            le.set(3, D).exec("lq r6,16(r3)");
            be.set(3, D).exec("lq r6,16(r3)");
            assertThat(le.r(6)).isEqualTo(0x201f_1e1d_1c1b_1a19L);
            assertThat(le.r(7)).isEqualTo(0x1817_1615_1413_1211L);
            assertThat(be.r(6)).isEqualTo(0x1112_1314_1516_1718L);
            assertThat(be.r(7)).isEqualTo(0x191a_1b1c_1d1e_1f20L);
            le.set(8, -1).set(9, 2).exec("stq r8,32(r3)");
            assertThat(le.memory.load64(D + 32, ByteOrder.LITTLE_ENDIAN)).isEqualTo(2);
            assertThat(le.memory.load64(D + 40, ByteOrder.LITTLE_ENDIAN)).isEqualTo(-1);
        }
    }

    @Test
    void quadwordInvalidFormsAndAlignment() {
        try (TestCpu t = TestCpu.bigEndian()) {
            t.set(3, D).code("lq r5,0(r3)");
            assertThat(t.run(1)).isZero();
            assertThat(t.cpu.pendingInterrupt.describe()).contains("illegal instruction");
            t.cpu.pendingInterrupt = null;
            t.set(3, D + 8).code("lq r4,0(r3)");
            assertThat(t.run(1)).isZero();
            assertThat(t.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.Alignment.class);
        }
    }

    @Test
    void loadAndStoreMultipleMoveWordsUpToR31() {
        try (TestCpu t = TestCpu.bigEndian()) {
            for (int i = 0; i < 4; i++) {
                t.memory.store32(D + 4 * i, 0x8000_0000 | i, ByteOrder.BIG_ENDIAN);
            }
            t.set(27, -1).set(1, D - 8).exec("lmw r28,8(r1)");
            assertThat(t.r(27)).isEqualTo(-1);
            assertThat(t.r(28)).as("zero-extended").isEqualTo(0x8000_0000L);
            assertThat(t.r(31)).isEqualTo(0x8000_0003L);
            t.set(30, 0x1_2345_6789L).exec("stmw r30,0x100(r1)");
            assertThat(t.memory.load32(D + 0xf8, ByteOrder.BIG_ENDIAN)).isEqualTo(0x2345_6789);
            assertThat(t.memory.load32(D + 0xfc, ByteOrder.BIG_ENDIAN)).isEqualTo(0x8000_0003);
        }
    }

    @Test
    void stringLoadsFillLowWordsHighByteFirstAndWrapToR0() {
        try (TestCpu t = TestCpu.bigEndian()) {
            bytes(t, D, 40);
            t.set(20, D).set(4, -1).exec("lswi r3,r20,7");
            assertThat(t.r(3)).isEqualTo(0x0102_0304L);
            assertThat(t.r(4)).as("unfilled bytes are zero").isEqualTo(0x0506_0700L);
            t.set(1, D).set(2, 2).set(31, -1).set(0, -1).exec("lswi r31,r1,6");
            assertThat(t.r(31)).isEqualTo(0x0102_0304L);
            assertThat(t.r(0)).as("wrapped from r31 to r0").isEqualTo(0x0506_0000L);
            t.cpu.xerByteCount = 5;
            t.exec("lswx r10,r1,r2");
            assertThat(t.r(10)).isEqualTo(0x0304_0506L);
            assertThat(t.r(11)).isEqualTo(0x0700_0000L);
            t.set(12, 0xaabb_ccddL).set(13, 0xeeff_0011L).exec("stswi r12,r1,6");
            assertThat(t.memory.load64(D, ByteOrder.BIG_ENDIAN)).isEqualTo(0xaabb_ccdd_eeff_0708L);
            t.cpu.xerByteCount = 0;
            t.exec("stswx r12,r1,r2");
            assertThat(t.memory.load8(D + 2)).as("a zero count stores nothing").isEqualTo(0xcc);
        }
    }

    @Test
    void stringAndMultipleInvalidFormsAndLittleEndianMode() {
        try (TestCpu t = TestCpu.bigEndian()) {
            t.set(4, D).code("lswi r3,r4,8");
            assertThat(t.run(1)).isZero();
            assertThat(t.cpu.pendingInterrupt.describe()).contains("illegal instruction");
            t.cpu.pendingInterrupt = null;
            t.code("lmw r3,0(r4)");
            t.cpu.nia = TestCpu.CODE + 4;
            assertThat(t.run(1)).isZero();
            assertThat(t.cpu.pendingInterrupt.describe()).contains("illegal instruction");
        }
        try (TestCpu t = TestCpu.littleEndian()) {
            t.set(4, D).code("lmw r30,0(r4)");
            assertThat(t.run(1)).isZero();
            assertThat(t.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.Alignment.class);
            assertThat(t.r(30)).isZero();
        }
    }
}
