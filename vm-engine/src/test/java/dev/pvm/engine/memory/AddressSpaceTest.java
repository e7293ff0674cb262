package dev.pvm.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AddressSpaceTest {

    private static final long MIB = 1 << 20;
    // Two adjacent regions, then a hole, then a third.
    private final AddressSpace memory = new AddressSpace(List.of(
            RamRegion.allocate(0, MIB), RamRegion.allocate(MIB, MIB), RamRegion.allocate(4 * MIB, MIB)));

    @AfterEach
    void close() {
        memory.close();
    }

    @Test
    void ramStartsZeroed() {
        assertThat(memory.load64(0x1000, ByteOrder.BIG_ENDIAN)).isZero();
        assertThat(memory.load64(4 * MIB + 8, ByteOrder.LITTLE_ENDIAN)).isZero();
    }

    @Test
    void typedAccessesInBothByteOrders() {
        memory.store32(0x100, 0x1122_3344, ByteOrder.BIG_ENDIAN);
        assertThat(memory.load8(0x100)).isEqualTo(0x11);
        assertThat(memory.load16(0x100, ByteOrder.BIG_ENDIAN)).isEqualTo(0x1122);
        assertThat(memory.load16(0x100, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0x2211);
        assertThat(memory.load32(0x100, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0x4433_2211);
        memory.store64(0x200, 0x0102_0304_0506_0708L, ByteOrder.LITTLE_ENDIAN);
        assertThat(memory.load8(0x200)).isEqualTo(0x08);
        assertThat(memory.load64(0x200, ByteOrder.BIG_ENDIAN)).isEqualTo(0x0807_0605_0403_0201L);
        memory.store16(0x300, 0xffff, ByteOrder.BIG_ENDIAN);
        assertThat(memory.load16(0x300, ByteOrder.BIG_ENDIAN)).as("zero-extended").isEqualTo(0xffff);
        memory.store8(0x301, 0x1ff);
        assertThat(memory.load8(0x301)).isEqualTo(0xff);
    }

    @Test
    void compareAndSetStoresOnlyOverTheExpectedValueAndLeavesNeighbouringBytes() {
        memory.store64(0x200, 0x1122_3344_5566_7788L, ByteOrder.BIG_ENDIAN);
        assertThat(memory.compareAndSet(0x201, 1, 0x22, 0xab, ByteOrder.BIG_ENDIAN)).isTrue();
        assertThat(memory.compareAndSet(0x201, 1, 0x22, 0xcd, ByteOrder.BIG_ENDIAN)).isFalse();
        assertThat(memory.compareAndSet(0x202, 2, 0x3344, 0xbeef, ByteOrder.BIG_ENDIAN)).isTrue();
        assertThat(memory.compareAndSet(0x206, 2, 0x8877, 0x0102, ByteOrder.LITTLE_ENDIAN)).isTrue();
        assertThat(memory.load64(0x200, ByteOrder.BIG_ENDIAN)).isEqualTo(0x11ab_beef_5566_0201L);
        assertThat(memory.compareAndSet(0x204, 4, 0x5566_0201L, 0xcafe_f00dL, ByteOrder.BIG_ENDIAN)).isTrue();
        assertThat(memory.compareAndSet(0x200, 8, 0, 1, ByteOrder.LITTLE_ENDIAN)).isFalse();
        assertThat(memory.compareAndSet(0x200, 8, 0x11ab_beef_cafe_f00dL, 7, ByteOrder.BIG_ENDIAN)).isTrue();
        assertThat(memory.load64(0x200, ByteOrder.BIG_ENDIAN)).isEqualTo(7);
        assertThatThrownBy(() -> memory.compareAndSet(0x202, 4, 0, 0, ByteOrder.BIG_ENDIAN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> memory.compareAndSet(3 * MIB, 8, 0, 0, ByteOrder.BIG_ENDIAN))
                .isInstanceOf(GuestMemoryAccessException.class);
    }

    @Test
    void accessesMayStraddleAdjacentRegions() {
        memory.store64(MIB - 4, 0x1122_3344_5566_7788L, ByteOrder.BIG_ENDIAN);
        assertThat(memory.load32(MIB - 4, ByteOrder.BIG_ENDIAN)).isEqualTo(0x1122_3344);
        assertThat(memory.load32(MIB, ByteOrder.BIG_ENDIAN)).isEqualTo(0x5566_7788);
        assertThat(memory.load64(MIB - 4, ByteOrder.BIG_ENDIAN)).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(memory.load16(MIB - 1, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0x5544);
    }

    @Test
    void unbackedAccessesFailWithTheirAddressAndWriteNothing() {
        assertThatThrownBy(() -> memory.load32(2 * MIB, ByteOrder.BIG_ENDIAN))
                .isInstanceOf(GuestMemoryAccessException.class)
                .hasMessageContaining("load of 4 bytes at guest physical 0x200000");
        memory.store32(2 * MIB - 4, 0x0a0b_0c0d, ByteOrder.BIG_ENDIAN);
        assertThatThrownBy(() -> memory.store64(2 * MIB - 4, -1, ByteOrder.BIG_ENDIAN))
                .isInstanceOfSatisfying(GuestMemoryAccessException.class, e -> {
                    assertThat(e.address()).isEqualTo(2 * MIB - 4);
                    assertThat(e.size()).isEqualTo(8);
                    assertThat(e.write()).isTrue();
                });
        assertThat(memory.load32(2 * MIB - 4, ByteOrder.BIG_ENDIAN)).as("untouched").isEqualTo(0x0a0b_0c0d);
        assertThatThrownBy(() -> memory.load8(-1)).isInstanceOf(GuestMemoryAccessException.class);
        assertThat(memory.isBacked(0, 2 * MIB)).isTrue();
        assertThat(memory.isBacked(MIB, 2 * MIB)).isFalse();
    }

    @Test
    void bulkCopiesAndFills() {
        byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        memory.write(MIB - 100, data);
        byte[] back = new byte[300];
        memory.read(MIB - 100, back);
        assertThat(back).isEqualTo(data);
        memory.fill(MIB - 50, 100, (byte) 0x5a);
        assertThat(memory.load8(MIB - 51)).isEqualTo(49);
        assertThat(memory.load8(MIB + 49)).isEqualTo(0x5a);
        assertThat(memory.load8(MIB + 50)).isEqualTo((150) & 0xff);
        memory.write(4 * MIB, MemorySegment.ofArray(new byte[] {1, 2, 3}));
        assertThat(memory.load16(4 * MIB + 1, ByteOrder.BIG_ENDIAN)).isEqualTo(0x0203);
        assertThatThrownBy(() -> memory.write(2 * MIB - 1, new byte[2]))
                .isInstanceOf(GuestMemoryAccessException.class);
    }

    @Test
    void rejectsOverlappingRegions() {
        RamRegion a = RamRegion.allocate(0, MIB);
        RamRegion b = RamRegion.allocate(MIB / 2, MIB);
        try {
            assertThatThrownBy(() -> new AddressSpace(List.of(a, b)))
                    .hasMessageContaining("RAM regions overlap: [0x0, 0x100000) and [0x80000, 0x180000)");
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void largeRamIsNotCommittedUpFront() {
        // 64 GiB of address space: only the pages touched cost host memory (MAP_NORESERVE).
        try (AddressSpace big = new AddressSpace(List.of(RamRegion.allocate(0, 64L << 30)))) {
            big.store64((64L << 30) - 8, 42, ByteOrder.BIG_ENDIAN);
            assertThat(big.load64((64L << 30) - 8, ByteOrder.BIG_ENDIAN)).isEqualTo(42);
            assertThat(big.ramSize()).isEqualTo(64L << 30);
        }
    }
}
