package dev.pvm.engine.linuxuser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Translated-code tracking over a user address space: every way the space changes code invalidates it. */
class UserCodePagesTest {

    private static final long P = UserAddressSpace.PAGE_SIZE;
    private static final int RWX = UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE
            | UserAddressSpace.PROT_EXEC;
    private static final long CODE = 0x40000;

    private final UserAddressSpace memory = new UserAddressSpace(32);
    private final List<Long> invalidated = new ArrayList<>();
    private final UserCodePages pages = new UserCodePages(memory, invalidated::add);

    @AfterEach
    void close() {
        memory.close();
    }

    private int pageByte(long address) {
        return memory.pageTable().get(address >>> UserAddressSpace.PAGE_SHIFT);
    }

    /** Maps an RWX page and marks 16 bytes at CODE + 0x1000 as translated (small page 0x41). */
    private void translated() {
        memory.map(CODE, P, RWX);
        pages.markCode(CODE + 0x1000, CODE + 0x1010);
    }

    @Test
    void markingCodeTakesThePageOffTheInlineStorePath() {
        memory.map(CODE, P, RWX);
        assertThat(pageByte(CODE) & UserAddressSpace.STORE_INLINE).isNotZero();
        pages.markCode(CODE + 0x1000, CODE + 0x1010);
        assertThat(pageByte(CODE) & (UserAddressSpace.CODE | UserAddressSpace.STORE_INLINE))
                .isEqualTo(UserAddressSpace.CODE);
        assertThat(pages.overlapsCode(CODE + 0x100c, 8)).isTrue();
        assertThat(pages.overlapsCode(CODE + 0x1010, 8)).isFalse();
    }

    @Test
    void storesOverCodeInvalidateAndStoresBesideItDoNot() {
        translated();
        memory.store32(CODE + 0x1020, 1, ByteOrder.LITTLE_ENDIAN);
        memory.store64(CODE + 0x0ff8, 1, ByteOrder.LITTLE_ENDIAN);
        assertThat(invalidated).isEmpty();
        memory.store8(CODE + 0x1003, 1);
        assertThat(invalidated).containsExactly(0x41L);
        assertThat(pageByte(CODE) & (UserAddressSpace.CODE | UserAddressSpace.STORE_INLINE))
                .isEqualTo(UserAddressSpace.STORE_INLINE);
    }

    @Test
    void theKernelsWritesInvalidate() {
        translated();
        memory.hostSliceForWrite(CODE + 0x0800, 0x1000).fill((byte) 0);
        assertThat(invalidated).containsExactly(0x41L);
        translated();
        memory.write(CODE + 0x100c, new byte[4]);
        memory.fill(CODE, 0x10, (byte) 0);
        assertThat(invalidated).containsExactly(0x41L, 0x41L);
    }

    @Test
    void mappingChangesInvalidateButAddingWritePermissionDoesNot() {
        translated();
        memory.protect(CODE, P, RWX);
        assertThat(invalidated).isEmpty();
        memory.protect(CODE, P, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE);
        assertThat(invalidated).containsExactly(0x41L);
        translated();
        memory.unmap(CODE, P);
        translated();
        memory.map(CODE, P, RWX); // MADV_DONTNEED and MAP_FIXED over it
        assertThat(invalidated).containsExactly(0x41L, 0x41L, 0x41L);
        assertThat(pages.pagesWithCode()).isZero();
    }

    @Test
    void aLargeUnmapFindsTheCodePagesWithoutWalkingTheRange() {
        memory.map(0x100000, 64 * P, RWX);
        pages.markCode(0x100000, 0x100008);
        pages.markCode(0x100000 + 63 * P, 0x100000 + 63 * P + 4);
        memory.unmap(0x100000, 64 * P);
        assertThat(invalidated).containsExactlyInAnyOrder(0x100L, 0x100L + 63 * 16);
    }

    @Test
    void lockstepTrapsEveryStore() {
        memory.map(0x20000, P, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE);
        pages.trapAll(true);
        assertThat(pageByte(0x20000) & UserAddressSpace.STORE_INLINE).isZero();
        memory.map(0x30000, P, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE);
        assertThat(pageByte(0x30000) & UserAddressSpace.STORE_INLINE).isZero();
        pages.trapAll(false);
        assertThat(pageByte(0x20000) & UserAddressSpace.STORE_INLINE).isNotZero();
        assertThat(pageByte(0x30000) & UserAddressSpace.STORE_INLINE).isNotZero();
    }
}
