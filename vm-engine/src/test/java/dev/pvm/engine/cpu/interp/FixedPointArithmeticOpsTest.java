package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.Msr;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FixedPointArithmeticOpsTest {

    private final TestCpu t = TestCpu.bigEndian();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void addiReadsRegisterZeroAsZero() {
        t.set(0, 100).set(1, 10).exec("addi r3,r0,5", "addi r4,r1,-11");
        assertThat(t.r(3)).isEqualTo(5);
        assertThat(t.r(4)).isEqualTo(-1);
    }

    @Test
    void addisShiftsTheSignedImmediate() {
        t.exec("addis r3,0,0x7fff", "addis r4,0,-1", "addis r5,r3,1");
        assertThat(t.r(3)).isEqualTo(0x7fff_0000L);
        assertThat(t.r(4)).isEqualTo(0xffff_ffff_ffff_0000L);
        assertThat(t.r(5)).isEqualTo(0x8000_0000L);
    }

    @Test
    void addcSetsCarryOutOfBitZeroAndBit32() {
        t.set(4, -1).set(5, 1).exec("addc r3,r4,r5");
        assertThat(t.r(3)).isZero();
        assertThat(t.cpu.ca).isEqualTo(1);
        assertThat(t.cpu.ca32).isEqualTo(1);
        t.set(4, 0xffff_ffffL).set(5, 1).exec("addc r3,r4,r5");
        assertThat(t.r(3)).isEqualTo(0x1_0000_0000L);
        assertThat(t.cpu.ca).isZero();
        assertThat(t.cpu.ca32).isEqualTo(1);
    }

    @Test
    void extendedAddsConsumeTheCarry() {
        t.cpu.ca = 1;
        t.set(4, -1).set(5, 0).exec("adde r3,r4,r5");
        assertThat(t.r(3)).isZero();
        assertThat(t.cpu.ca).isEqualTo(1);
        t.exec("addze r6,r5");
        assertThat(t.r(6)).isEqualTo(1);
        assertThat(t.cpu.ca).isZero();
        t.cpu.ca = 0;
        t.set(7, 0).exec("addme r8,r7");
        assertThat(t.r(8)).isEqualTo(-1);
        assertThat(t.cpu.ca).isZero();
        t.cpu.ca = 1;
        t.exec("addme r8,r7");
        assertThat(t.r(8)).isZero();
        assertThat(t.cpu.ca).isEqualTo(1);
    }

    @Test
    void subtractFromComputesRbMinusRaWithBorrowAsNotCarry() {
        t.set(4, 1).set(5, 0).exec("subfc r3,r4,r5");
        assertThat(t.r(3)).isEqualTo(-1);
        assertThat(t.cpu.ca).as("borrow").isZero();
        t.set(4, 0).set(5, 0).exec("subfc r3,r4,r5");
        assertThat(t.r(3)).isZero();
        assertThat(t.cpu.ca).isEqualTo(1);
        t.set(4, 3).set(5, 10).exec("subf r6,r4,r5");
        assertThat(t.r(6)).isEqualTo(7);
        t.set(4, 1).exec("subfic r7,r4,0");
        assertThat(t.r(7)).isEqualTo(-1);
        assertThat(t.cpu.ca).isZero();
        t.cpu.ca = 0;
        t.set(4, 5).set(5, 10).exec("subfe r8,r4,r5");
        assertThat(t.r(8)).isEqualTo(4);
        t.cpu.ca = 1;
        t.exec("subfze r9,r4");
        assertThat(t.r(9)).isEqualTo(-5);
        t.cpu.ca = 1;
        t.exec("subfme r10,r4");
        assertThat(t.r(10)).isEqualTo(-6);
    }

    @Test
    void negOverflowsOnlyForTheMostNegativeNumber() {
        t.set(4, Long.MIN_VALUE).exec("nego r3,r4");
        assertThat(t.r(3)).isEqualTo(Long.MIN_VALUE);
        assertThat(t.cpu.ov).isEqualTo(1);
        assertThat(t.cpu.ov32).isZero();
        assertThat(t.cpu.so).isEqualTo(1);
        t.set(4, 0x8000_0000L).exec("nego r3,r4");
        assertThat(t.r(3)).isEqualTo(-0x8000_0000L);
        assertThat(t.cpu.ov).isZero();
        assertThat(t.cpu.ov32).isEqualTo(1);
        assertThat(t.cpu.so).as("summary overflow sticks").isEqualTo(1);
    }

    @Test
    void overflowOnlyWithOe() {
        t.set(4, Long.MAX_VALUE).set(5, 1).exec("add r3,r4,r5");
        assertThat(t.cpu.ov).isZero();
        t.exec("addo r3,r4,r5");
        assertThat(t.r(3)).isEqualTo(Long.MIN_VALUE);
        assertThat(t.cpu.ov).isEqualTo(1);
        assertThat(t.cpu.so).isEqualTo(1);
        t.set(4, 1).exec("addo r3,r4,r5");
        assertThat(t.cpu.ov).isZero();
        assertThat(t.cpu.so).isEqualTo(1);
    }

    @Test
    void recordFormsCompareTheResultWithZero() {
        t.set(4, 1).set(5, -3).exec("add. r3,r4,r5");
        assertThat(t.cpu.crField(0)).isEqualTo(0b1000);
        t.set(5, -1).exec("add. r3,r4,r5");
        assertThat(t.cpu.crField(0)).isEqualTo(0b0010);
        t.cpu.so = 1;
        t.set(5, 5).exec("add. r3,r4,r5");
        assertThat(t.cpu.crField(0)).isEqualTo(0b0101);
        t.set(4, 5).exec("addic. r3,r4,-6");
        assertThat(t.cpu.crField(0)).isEqualTo(0b1001);
    }

    @Test
    void thirtyTwoBitModeCarriesAndComparesTheLowWord() {
        t.cpu.setMsr(Msr.ME);
        t.set(4, 0xffff_ffffL).set(5, 1).exec("addc. r3,r4,r5");
        assertThat(t.r(3)).isEqualTo(0x1_0000_0000L);
        assertThat(t.cpu.ca).isEqualTo(1);
        assertThat(t.cpu.crField(0)).isEqualTo(0b0010);
        t.set(4, 0x7fff_ffffL).exec("addo r3,r4,r5");
        assertThat(t.cpu.ov).isEqualTo(1);
    }

    @Test
    void multiplies() {
        t.set(4, 0x1_0000_0000L).set(5, 0x1_0000_0000L).exec("mulldo r3,r4,r5", "mulhdu r6,r4,r5", "mulhd r7,r4,r5");
        assertThat(t.r(3)).isZero();
        assertThat(t.cpu.ov).isEqualTo(1);
        assertThat(t.cpu.ov32).isEqualTo(1);
        assertThat(t.r(6)).isEqualTo(1);
        assertThat(t.r(7)).isEqualTo(1);
        t.set(4, -2).set(5, 3).exec("mulld r3,r4,r5", "mulhd r6,r4,r5", "mulhdu r7,r4,r5", "mulli r8,r4,-7");
        assertThat(t.r(3)).isEqualTo(-6);
        assertThat(t.r(6)).isEqualTo(-1);
        assertThat(t.r(7)).isEqualTo(2);
        assertThat(t.r(8)).isEqualTo(14);
        t.set(4, 0xffff_ffff_0001_0000L).set(5, 0x0001_0000).exec("mullwo r3,r4,r5", "mulhw r6,r4,r5",
                "mulhwu r7,r4,r5");
        assertThat(t.r(3)).isEqualTo(0x1_0000_0000L);
        assertThat(t.cpu.ov).isEqualTo(1);
        assertThat(t.r(6)).isEqualTo(1);
        assertThat(t.r(7)).isEqualTo(1);
        t.set(4, -1).set(5, 2).exec("mulhw r6,r4,r5");
        assertThat(t.r(6)).as("high word of -2, zero-extended").isEqualTo(0xffff_ffffL);
    }

    @Test
    void dividesAndFlagsUndefinedDivisions() {
        t.set(4, 7).set(5, -2).exec("divd r3,r4,r5", "divdu r6,r4,r5", "divw r7,r4,r5", "divwu r8,r4,r5");
        assertThat(t.r(3)).isEqualTo(-3);
        assertThat(t.r(6)).isZero();
        assertThat(t.r(7)).isEqualTo(0xffff_fffdL);
        assertThat(t.r(8)).isZero();
        t.set(4, 100).set(5, 0).exec("divdo r3,r4,r5");
        assertThat(t.r(3)).as("RT is undefined; we give the dividend as QEMU does").isEqualTo(100);
        assertThat(t.cpu.ov).isEqualTo(1);
        t.set(4, Long.MIN_VALUE).set(5, -1).exec("divdo. r3,r4,r5");
        assertThat(t.cpu.ov).isEqualTo(1);
        assertThat(t.cpu.crField(0) & 1).isEqualTo(1);
        t.set(4, Integer.MIN_VALUE).set(5, -1).exec("divwo r3,r4,r5");
        assertThat(t.cpu.ov).isEqualTo(1);
        t.set(4, 10).set(5, 3).exec("divwuo r3,r4,r5");
        assertThat(t.r(3)).isEqualTo(3);
        assertThat(t.cpu.ov).isZero();
    }

    @Test
    void carryingAddsAgreeWithBigIntegerArithmetic() {
        Random random = new Random(7);
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        for (int i = 0; i < 300; i++) {
            long a = random.nextInt(4) == 0 ? -random.nextInt(3) : random.nextLong();
            long b = random.nextInt(4) == 0 ? random.nextInt(3) - 1 : random.nextLong();
            int carryIn = random.nextInt(2);
            t.cpu.ca = carryIn;
            t.set(4, a).set(5, b).exec("adde r3,r4,r5");
            BigInteger sum = unsigned(a).add(unsigned(b)).add(BigInteger.valueOf(carryIn));
            assertThat(t.r(3)).isEqualTo(sum.longValue());
            assertThat(t.cpu.ca).as("carry of %x + %x + %d", a, b, carryIn).isEqualTo(sum.compareTo(two64) >= 0 ? 1 : 0);
            t.exec("subfc r6,r4,r5");
            BigInteger diff = unsigned(b).add(unsigned(~a)).add(BigInteger.ONE);
            assertThat(t.r(6)).isEqualTo(b - a);
            assertThat(t.cpu.ca).isEqualTo(diff.compareTo(two64) >= 0 ? 1 : 0);
        }
    }

    private static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }
}
