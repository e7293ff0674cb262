package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoadStoreOpsTest {

    private static final long D = TestCpu.DATA;
    private TestCpu t;

    @AfterEach
    void close() {
        t.close();
    }

    private void loadsIn(TestCpu cpu) {
        t = cpu;
        // Memory holds 80 01 ff fe 12 34 56 78 from DATA on, whatever the CPU's byte order.
        t.memory.store64(D, 0x8001_fffe_1234_5678L, ByteOrder.BIG_ENDIAN);
        t.set(1, D).exec("lbz r3,0(r1)", "lhz r4,0(r1)", "lha r5,0(r1)", "lwz r6,0(r1)", "lwa r7,0(r1)",
                "ld r8,0(r1)");
    }

    @Test
    void bigEndianLoadsZeroOrSignExtend() {
        loadsIn(TestCpu.bigEndian());
        assertThat(t.r(3)).isEqualTo(0x80);
        assertThat(t.r(4)).isEqualTo(0x8001);
        assertThat(t.r(5)).isEqualTo(0xffff_ffff_ffff_8001L);
        assertThat(t.r(6)).isEqualTo(0x8001_fffeL);
        assertThat(t.r(7)).isEqualTo(0xffff_ffff_8001_fffeL);
        assertThat(t.r(8)).isEqualTo(0x8001_fffe_1234_5678L);
    }

    @Test
    void littleEndianLoadsReadTheLowByteFirst() {
        loadsIn(TestCpu.littleEndian());
        assertThat(t.r(3)).isEqualTo(0x80);
        assertThat(t.r(4)).isEqualTo(0x0180);
        assertThat(t.r(5)).isEqualTo(0x0180);
        assertThat(t.r(6)).isEqualTo(0xfeff_0180L);
        assertThat(t.r(7)).isEqualTo(0xffff_ffff_feff_0180L);
        assertThat(t.r(8)).isEqualTo(0x7856_3412_feff_0180L);
    }

    @Test
    void storesWriteInTheCpusByteOrder() {
        t = TestCpu.littleEndian();
        t.set(1, D).set(3, 0x1122_3344_5566_7788L).exec("std r3,0(r1)", "stw r3,8(r1)", "sth r3,12(r1)",
                "stb r3,14(r1)");
        assertThat(t.memory.load64(D, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(t.memory.load32(D + 8, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0x5566_7788);
        assertThat(t.memory.load16(D + 12, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0x7788);
        assertThat(t.memory.load8(D + 14)).isEqualTo(0x88);
    }

    @Test
    void updateAndIndexedForms() {
        t = TestCpu.bigEndian();
        t.memory.store32(D + 8, 42, ByteOrder.BIG_ENDIAN);
        t.set(1, D).set(2, 8).exec("lwzu r3,8(r1)", "stwu r3,4(r1)", "lwzx r4,r1,r0", "ldux r5,r1,r2",
                "stdx r2,0,r1", "stbux r2,r1,r2");
        assertThat(t.r(3)).isEqualTo(42);
        assertThat(t.memory.load32(D + 12, ByteOrder.BIG_ENDIAN)).isEqualTo(42);
        assertThat(t.r(4)).isEqualTo(42);
        assertThat(t.r(1)).isEqualTo(D + 28);
        assertThat(t.memory.load64(D + 20, ByteOrder.BIG_ENDIAN)).isEqualTo(8);
        assertThat(t.memory.load8(D + 28)).isEqualTo(8);
    }

    @Test
    void updateFormsWithoutABaseRegisterAreInvalid() {
        t = TestCpu.bigEndian();
        t.set(3, 7).code("lwzu r3,8(r3)");
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt.describe()).contains("illegal instruction");
        assertThat(t.r(3)).as("unchanged").isEqualTo(7);
        t.cpu.pendingInterrupt = null;
        t.code("stbu r3,8(r0)");
        t.cpu.nia = TestCpu.CODE + 4;
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.Program.class);
    }

    @Test
    void byteReversedAccessesUseTheOtherOrder() {
        t = TestCpu.bigEndian();
        t.memory.store64(D, 0x0102_0304_0506_0708L, ByteOrder.BIG_ENDIAN);
        t.set(1, D).set(6, 0xaabb_ccdd_eeffL).exec("lwbrx r3,0,r1", "lhbrx r4,0,r1", "ldbrx r5,0,r1",
                "stwbrx r6,r1,r0", "sthbrx r6,0,r1");
        assertThat(t.r(3)).isEqualTo(0x0403_0201L);
        assertThat(t.r(4)).isEqualTo(0x0201);
        assertThat(t.r(5)).isEqualTo(0x0807_0605_0403_0201L);
        assertThat(t.memory.load32(D, ByteOrder.BIG_ENDIAN)).isEqualTo(0xffee_ddcc);
        t.exec("stdbrx r6,0,r1");
        assertThat(t.memory.load64(D, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0xaabb_ccdd_eeffL);
    }

    @Test
    void realModeIgnoresTheTopFourAddressBits() {
        t = TestCpu.bigEndian();
        t.memory.store64(D, 99, ByteOrder.BIG_ENDIAN);
        t.set(1, 0xc000_0000_0000_0000L | D).exec("ld r3,0(r1)");
        assertThat(t.r(3)).isEqualTo(99);
    }

    @Test
    void accessToUnbackedMemoryIsAMachineCheckAndChangesNothing() {
        t = TestCpu.bigEndian();
        t.set(1, 0x4000_0000L).set(3, 5).code("ldu r3,8(r1)");
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt).isEqualTo(new GuestInterrupt.MachineCheck(0x4000_0008L, 8, "load"));
        assertThat(t.r(3)).isEqualTo(5);
        assertThat(t.r(1)).isEqualTo(0x4000_0000L);
        assertThat(t.cpu.cia).isEqualTo(TestCpu.CODE);
    }
}
