package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Load and reserve / store conditional; the expected outcomes were checked under qemu-ppc64le and qemu-ppc64. */
class ReservationOpsTest {

    private static final long D = TestCpu.DATA;
    private final TestCpu t = TestCpu.littleEndian();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void byteAndHalfwordReservationsLoadZeroExtendedAndStoreTheirSize() {
        t.memory.store64(D, 0x8887_8685_8483_8281L, ByteOrder.LITTLE_ENDIAN);
        t.set(1, D + 3).set(2, D + 6).set(4, 0x1234_5678_9aL).exec("lbarx r3,0,r1", "stbcx. r4,0,r1");
        assertThat(t.r(3)).isEqualTo(0x84);
        assertThat(t.cpu.crField(0)).isEqualTo(0b0010);
        t.exec("lharx r5,0,r2", "sthcx. r4,0,r2");
        assertThat(t.r(5)).isEqualTo(0x8887);
        assertThat(t.cpu.crField(0)).isEqualTo(0b0010);
        assertThat(t.memory.load64(D, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0x789a_8685_9a83_8281L);
    }

    @Test
    void aStoreThatChangesTheReservedValueLosesTheReservation() {
        t.memory.store32(D, 5, ByteOrder.LITTLE_ENDIAN);
        t.set(1, D).set(4, 9).set(6, 6).exec("lwarx r3,0,r1", "stw r6,0(r1)", "stwcx. r4,0,r1");
        assertThat(t.cpu.crField(0)).isZero();
        assertThat(t.memory.load32(D, ByteOrder.LITTLE_ENDIAN)).isEqualTo(6);
        // the same value written back keeps it, as in QEMU (the reservation compares values)
        t.exec("lwarx r3,0,r1", "stw r3,0(r1)", "stwcx. r4,0,r1");
        assertThat(t.cpu.crField(0)).isEqualTo(0b0010);
        assertThat(t.memory.load32(D, ByteOrder.LITTLE_ENDIAN)).isEqualTo(9);
        // a store elsewhere keeps it
        t.exec("lwarx r3,0,r1", "stw r6,64(r1)", "stwcx. r6,0,r1");
        assertThat(t.cpu.crField(0)).isEqualTo(0b0010);
    }

    @Test
    void storeConditionalOfAnotherSizeOrAddressFailsAndEndsTheReservation() {
        t.set(1, D + 8).set(2, D + 12).set(4, -1).exec("lwarx r3,0,r1", "stdcx. r4,0,r1");
        assertThat(t.cpu.crField(0)).isZero();
        assertThat(t.memory.load64(D + 8, ByteOrder.LITTLE_ENDIAN)).isZero();
        t.exec("lwarx r3,0,r1", "stwcx. r4,0,r2", "stwcx. r4,0,r1");
        assertThat(t.cpu.crField(0)).as("the failed stwcx. cleared the reservation").isZero();
        assertThat(t.cpu.reservationAddress).isEqualTo(-1);
        t.cpu.so = 1;
        t.exec("stwcx. r4,0,r1");
        assertThat(t.cpu.crField(0)).as("CR0[SO] copies XER[SO]").isEqualTo(0b0001);
    }

    @Test
    void quadwordReservationUsesAnEvenPairInStorageOrder() {
        t.memory.store64(D, 0x1111L, ByteOrder.LITTLE_ENDIAN);
        t.memory.store64(D + 8, 0x2222L, ByteOrder.LITTLE_ENDIAN);
        t.set(1, D).set(8, 0xaaaa).set(9, 0xbbbb).exec("lqarx r6,0,r1", "stqcx. r8,0,r1");
        assertThat(t.r(6)).as("high doubleword from EA+8 in little-endian mode").isEqualTo(0x2222);
        assertThat(t.r(7)).isEqualTo(0x1111);
        assertThat(t.cpu.crField(0)).isEqualTo(0b0010);
        assertThat(t.memory.load64(D, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0xbbbb);
        assertThat(t.memory.load64(D + 8, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0xaaaa);
        t.code("lqarx r5,0,r1");
        t.cpu.nia = TestCpu.CODE + 8;
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt.describe()).contains("illegal instruction");
    }

    @Test
    void misalignedReservationsTakeAnAlignmentInterrupt() {
        t.set(1, D + 1).code("lharx r3,0,r1");
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.Alignment.class);
        t.cpu.pendingInterrupt = null;
        t.set(1, D + 8).code("lqarx r4,0,r1");
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.Alignment.class);
    }
}
