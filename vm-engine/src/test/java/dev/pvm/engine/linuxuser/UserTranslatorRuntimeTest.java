package dev.pvm.engine.linuxuser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.interp.StorageAccess;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which accesses translated code performs inline: the page tags' one compare must let exactly the accesses inside
 * the space, within one page that allows them, through. The slow path here is a storage view of a second, empty
 * space, so an access that takes it faults, and one that does not returns the first space's bytes.
 */
class UserTranslatorRuntimeTest {

    private static final long P = UserAddressSpace.PAGE_SIZE;
    private static final int RW = UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE;
    private static final long DATA = 0x10000;
    private static final long READ_ONLY = 0x20000;

    private final UserAddressSpace space = new UserAddressSpace(32);
    private final UserAddressSpace empty = new UserAddressSpace(24);
    private final UserCodePages pages = new UserCodePages(space, page -> { });
    private final UserTranslatorRuntime rt = UserTranslatorRuntime.of(space, pages, new StorageAccess(empty));
    private final CpuState cpu = new CpuState(0);

    UserTranslatorRuntimeTest() {
        space.map(DATA, P, RW);
        space.map(READ_ONLY, P, UserAddressSpace.PROT_READ);
        space.map(0x30000, P, RW);
        space.store64(READ_ONLY - 8, 0x0102030405060708L, ByteOrder.LITTLE_ENDIAN);
    }

    @AfterEach
    void close() {
        space.close();
        empty.close();
    }

    @Test
    void accessesWithinOneAllowedPageAreInline() {
        rt.store64le(cpu, DATA, 0x1122334455667788L);
        assertThat(rt.load64le(cpu, DATA)).isEqualTo(0x1122334455667788L);
        assertThat(rt.load32be(cpu, DATA)).isEqualTo(0x88776655);
        assertThat(rt.load8(cpu, READ_ONLY - 1)).isEqualTo(0x01);
        assertThat(rt.load64le(cpu, READ_ONLY - 8)).isEqualTo(0x0102030405060708L);
        assertThat(rt.load16le(cpu, READ_ONLY + P - 2)).isZero();
    }

    @Test
    void accessesThatCrossAPageTakeTheSlowPathEvenWhenBothPagesAllowThem() {
        assertThatThrownBy(() -> rt.load64le(cpu, READ_ONLY - 4)).isNotNull();
        assertThatThrownBy(() -> rt.load16le(cpu, READ_ONLY - 1)).isNotNull();
        assertThatThrownBy(() -> rt.store32le(cpu, 0x30000 - 2, 1)).isNotNull();
    }

    @Test
    void pagesWithoutThePermissionTakeTheSlowPath() {
        assertThatThrownBy(() -> rt.store8(cpu, READ_ONLY, 1)).isNotNull();
        assertThatThrownBy(() -> rt.load8(cpu, 0x40000)).isNotNull();
        // Page 0's tag is 0, the zero-filled entries' value: it must still not match while page 0 is unmapped.
        assertThatThrownBy(() -> rt.load8(cpu, 0)).isNotNull();
        assertThatThrownBy(() -> rt.store64le(cpu, 8, 1)).isNotNull();
        space.protect(DATA, P, UserAddressSpace.PROT_READ);
        assertThatThrownBy(() -> rt.store32le(cpu, DATA, 1)).isNotNull();
        assertThat(rt.load32le(cpu, DATA)).isZero();
        space.map(0, P, RW);
        rt.store64le(cpu, 8, 42);
        assertThat(rt.load8(cpu, 8)).isEqualTo(42);
    }

    @Test
    void addressesOutsideTheSpaceNeverMatchTheTagOfThePageTheyIndex() {
        // Same tag index as DATA (the index drops the address bits above the space), different page.
        assertThatThrownBy(() -> rt.load8(cpu, (1L << 32) | DATA)).isNotNull();
        assertThatThrownBy(() -> rt.store8(cpu, (1L << 40) | DATA, 1)).isNotNull();
        assertThatThrownBy(() -> rt.load64le(cpu, -1L << 20 | DATA)).isNotNull();
        // Wraps around 2^64: its last byte's page is page 0.
        space.map(0, P, RW);
        assertThatThrownBy(() -> rt.load64le(cpu, -4)).isNotNull();
        assertThatThrownBy(() -> rt.load8(cpu, -1)).isNotNull();
    }

    @Test
    void codePagesAndJournalingTakeStoresOffTheInlinePath() {
        pages.markCode(DATA + 0x1000, DATA + 0x1010);
        assertThatThrownBy(() -> rt.store8(cpu, DATA + 0x2000, 1)).isNotNull();
        assertThat(rt.load8(cpu, DATA + 0x2000)).isZero();
        pages.trapAll(true);
        assertThatThrownBy(() -> rt.store8(cpu, 0x30000, 1)).isNotNull();
        pages.trapAll(false);
        rt.store8(cpu, 0x30000, 1);
        assertThat(rt.load8(cpu, 0x30000)).isEqualTo(1);
    }
}
