package dev.pvm.engine.cpu.interp;

import static dev.pvm.engine.cpu.interp.FloatArithmeticOpsTest.bits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import org.junit.jupiter.api.Test;

class FloatLoadStoreOpsTest {

    private static TestCpu cpu(boolean littleEndian) {
        TestCpu t = littleEndian ? TestCpu.littleEndian() : TestCpu.bigEndian();
        t.cpu.setMsr(t.cpu.msr | Msr.FP);
        return t;
    }

    @Test
    void singleLoadsWidenExactlyKeepingSignallingNaNs() {
        try (TestCpu t = cpu(false)) {
            long d = TestCpu.DATA;
            t.memory.store32(d, Float.floatToRawIntBits(Float.MIN_VALUE), t.order());
            t.memory.store32(d + 4, 0x7F80_0001, t.order()); // single SNaN
            t.memory.store32(d + 8, 0x8000_0000, t.order());
            t.set(3, d).exec("lfs f1,0(r3)", "lfs f2,4(r3)", "lfs f3,8(r3)");
            assertThat(t.cpu.fprBits(1)).isEqualTo(bits(0x1p-149));
            assertThat(t.cpu.fprBits(2)).isEqualTo(0x7FF0_0000_2000_0000L);
            assertThat(t.cpu.fprBits(3)).isEqualTo(Long.MIN_VALUE);
            assertThat(t.cpu.fpscr).isZero();
        }
    }

    @Test
    void singleStoresTruncateAndDenormalise() {
        try (TestCpu t = cpu(true)) {
            long d = TestCpu.DATA;
            t.cpu.setFprBits(1, bits(1 + 0x1p-30));
            t.cpu.setFprBits(2, bits(0x1p-140 + 0x1p-160));
            t.cpu.setFprBits(3, 0x7FF0_0000_2000_0000L);
            t.set(3, d).exec("stfs f1,0(r3)", "stfs f2,4(r3)", "stfs f3,8(r3)");
            assertThat(t.memory.load32(d, t.order())).as("no rounding").isEqualTo(Float.floatToRawIntBits(1f));
            assertThat(t.memory.load32(d + 4, t.order())).isEqualTo(1 << 9);
            assertThat(t.memory.load32(d + 8, t.order())).isEqualTo(0x7F80_0001);
        }
    }

    @Test
    void doubleAndIntegerWordAccessesWithUpdateAndIndexedForms() {
        for (boolean le : new boolean[] {false, true}) {
            try (TestCpu t = cpu(le)) {
                long d = TestCpu.DATA;
                t.memory.store64(d + 8, 0x0123_4567_89AB_CDEFL, t.order());
                t.memory.store32(d + 16, 0xFFFF_FFFE, t.order());
                t.set(3, d).set(4, 16).exec("lfdu f1,8(r3)", "lfiwax f2,r3,r4", "lfiwzx f3,0,r4");
                assertThat(t.cpu.fprBits(1)).isEqualTo(0x0123_4567_89AB_CDEFL);
                assertThat(t.r(3)).isEqualTo(d + 8);
                t.set(4, 8).exec("lfiwax f2,r3,r4");
                assertThat(t.cpu.fprBits(2)).isEqualTo(-2L);
                t.set(5, d + 16).exec("lfiwzx f3,0,r5");
                assertThat(t.cpu.fprBits(3)).isEqualTo(0xFFFF_FFFEL);
                t.cpu.setFprBits(4, 0x1122_3344_5566_7788L);
                t.set(6, d + 32).set(7, 8).exec("stfdx f4,r6,r7", "stfiwx f4,0,r6", "stfdux f4,r6,r7");
                assertThat(t.memory.load64(d + 40, t.order())).isEqualTo(0x1122_3344_5566_7788L);
                assertThat(t.memory.load32(d + 32, t.order())).isEqualTo(0x5566_7788);
                assertThat(t.r(6)).isEqualTo(d + 40);
            }
        }
    }

    @Test
    void updateFormsNeedRaNonZero() {
        try (TestCpu t = cpu(false)) {
            t.cpu.setFprBits(1, 7);
            t.exec("lfdu f1,8(r0)");
            assertThat(t.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.Program.class);
            assertThat(t.cpu.fprBits(1)).isEqualTo(7);
        }
    }

    @Test
    void pairsTakeTheQuadwordInTheCurrentByteOrder() {
        for (boolean le : new boolean[] {false, true}) {
            try (TestCpu t = cpu(le)) {
                long d = TestCpu.DATA;
                t.memory.store64(d, 0xAAAA_0000_0000_0001L, t.order());
                t.memory.store64(d + 8, 0xBBBB_0000_0000_0002L, t.order());
                t.set(3, d).exec("lfdp f2,0(r3)");
                long atEa = 0xAAAA_0000_0000_0001L;
                long atEa8 = 0xBBBB_0000_0000_0002L;
                assertThat(t.cpu.fprBits(2)).isEqualTo(le ? atEa8 : atEa);
                assertThat(t.cpu.fprBits(3)).isEqualTo(le ? atEa : atEa8);
                t.set(4, 16).exec("stfdpx f2,r3,r4");
                assertThat(t.memory.load64(d + 16, t.order())).isEqualTo(atEa);
                assertThat(t.memory.load64(d + 24, t.order())).isEqualTo(atEa8);
            }
        }
    }

    @Test
    void pairsNeedAnEvenRegister() {
        try (TestCpu t = cpu(false)) {
            t.set(3, TestCpu.DATA).word(0xe4630000).run(1); // lfdp f3,0(r3): odd FRTp
            assertThat(t.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.Program.class);
        }
    }
}
