package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StorageControlOpsTest {

    private static final long D = TestCpu.DATA;
    private final TestCpu t = TestCpu.bigEndian();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void storeConditionalSucceedsOnlyUnderItsReservation() {
        t.memory.store32(D, 5, ByteOrder.BIG_ENDIAN);
        t.set(1, D).set(4, 6).exec("lwarx r3,0,r1", "stwcx. r4,0,r1");
        assertThat(t.r(3)).isEqualTo(5);
        assertThat(t.memory.load32(D, ByteOrder.BIG_ENDIAN)).isEqualTo(6);
        assertThat(t.cpu.crField(0)).isEqualTo(0b0010);
        t.set(4, 7).exec("stwcx. r4,0,r1");
        assertThat(t.memory.load32(D, ByteOrder.BIG_ENDIAN)).as("reservation was used up").isEqualTo(6);
        assertThat(t.cpu.crField(0)).isZero();
        t.set(2, D + 8).exec("ldarx r3,0,r1", "stdcx. r4,0,r2");
        assertThat(t.memory.load64(D + 8, ByteOrder.BIG_ENDIAN)).as("other address").isZero();
        assertThat(t.cpu.crField(0)).isZero();
    }

    @Test
    void loadAndReserveNeedsAlignment() {
        t.set(1, D + 2).code("lwarx r3,0,r1");
        assertThat(t.run(1)).isZero();
        assertThat(t.cpu.pendingInterrupt).isInstanceOf(GuestInterrupt.Alignment.class);
    }

    @Test
    void eieioWithPower9sStoreForwardingHintIsABarrier() {
        // 0x7e0006ac: Linux's "eieio + bit 6" stf-barrier fixup (objdump: mbar 16); executes as a barrier.
        t.word(0x7e0006ac);
        t.cpu.nia = TestCpu.CODE;
        assertThat(t.run(1)).isEqualTo(1);
        assertThat(t.cpu.pendingInterrupt).isNull();
    }

    @Test
    void dcbzZeroesTheWholeCacheBlock() {
        for (int i = 0; i < 0x180; i += 8) {
            t.memory.store64(D + i, -1, ByteOrder.BIG_ENDIAN);
        }
        t.set(1, D + 0x90).exec("dcbz 0,r1", "sync 0", "isync", "mbar 0", "dcbt 0,r1,0", "dcbf 0,r1,0",
                "icbi 0,r1");
        assertThat(t.memory.load64(D + 0x78, ByteOrder.BIG_ENDIAN)).isEqualTo(-1);
        for (int i = 0x80; i < 0x100; i += 8) {
            assertThat(t.memory.load64(D + i, ByteOrder.BIG_ENDIAN)).isZero();
        }
        assertThat(t.memory.load64(D + 0x100, ByteOrder.BIG_ENDIAN)).isEqualTo(-1);
    }
}
