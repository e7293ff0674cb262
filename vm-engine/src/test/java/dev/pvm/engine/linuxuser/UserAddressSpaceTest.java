package dev.pvm.engine.linuxuser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.memory.GuestMemoryAccessException;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UserAddressSpaceTest {

    private static final long P = UserAddressSpace.PAGE_SIZE;
    private final UserAddressSpace memory = new UserAddressSpace(32);
    private final VirtualMemoryManager vm = new VirtualMemoryManager(memory);

    @AfterEach
    void close() {
        memory.close();
    }

    @Test
    void accessesNeedTheProtectionOfEveryPageTheyTouch() {
        memory.map(0x10000, P, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE);
        memory.map(0x20000, P, UserAddressSpace.PROT_READ);
        memory.store64(0x10000, 0x1122334455667788L, ByteOrder.BIG_ENDIAN);
        assertThat(memory.load32(0x10000, ByteOrder.BIG_ENDIAN)).isEqualTo(0x11223344);
        assertThat(memory.load32(0x10004, ByteOrder.LITTLE_ENDIAN)).isEqualTo(0x88776655);
        // A doubleword straddling into the read-only page can be read but not written.
        assertThat(memory.load64(0x1fffc, ByteOrder.BIG_ENDIAN)).isEqualTo(0);
        assertThatThrownBy(() -> memory.store64(0x1fffc, 1, ByteOrder.BIG_ENDIAN))
                .isInstanceOf(GuestMemoryAccessException.class);
        assertThatThrownBy(() -> memory.load8(0x30000)).isInstanceOf(GuestMemoryAccessException.class);
        assertThatThrownBy(() -> memory.load8(-8)).isInstanceOf(GuestMemoryAccessException.class);
        assertThatThrownBy(() -> memory.load8(1L << 32)).isInstanceOf(GuestMemoryAccessException.class);
        assertThat(memory.mapped(0x20000)).isTrue();
        assertThat(memory.mapped(0x30000)).isFalse();
    }

    @Test
    void instructionFetchesNeedExecutePermission() {
        memory.map(0x50000, P, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE);
        memory.map(0x60000, P, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_EXEC);
        assertThat(memory.load32(0x50000, ByteOrder.LITTLE_ENDIAN)).isZero();
        assertThatThrownBy(() -> memory.fetch32(0x50000, ByteOrder.LITTLE_ENDIAN))
                .isInstanceOf(GuestMemoryAccessException.class);
        assertThat(memory.fetch32(0x60000, ByteOrder.LITTLE_ENDIAN)).isZero();
    }

    @Test
    void remappingZeroesAndUnmappingRemovesAccess() {
        memory.map(0x40000, P, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE);
        memory.store8(0x40010, 0x5a);
        memory.map(0x40000, P, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE);
        assertThat(memory.load8(0x40010)).isZero();
        memory.unmap(0x40000, P);
        assertThat(memory.accessible(0x40000, 1, UserAddressSpace.PROT_READ)).isFalse();
    }

    @Test
    void brkGrowsFromThePageAfterTheImageAndNeverBelowIt() {
        vm.setBrkStart(0x10012345);
        long start = 0x10020000;
        assertThat(vm.brk(0)).isEqualTo(start);
        assertThat(vm.brk(start + 100_000)).isEqualTo(start + 100_000);
        memory.store8(start + 99_999, 1);
        assertThat(vm.brk(0x1000)).as("below the start: the current break").isEqualTo(start + 100_000);
        assertThat(vm.brk(start)).isEqualTo(start);
        assertThat(memory.accessible(start, 1, UserAddressSpace.PROT_READ)).isFalse();
    }

    @Test
    void mmapPlacesTopDownAndHonoursFixedAndNoReplace() {
        long a = vm.mmap(0, 3 * P, 3, VirtualMemoryManager.MAP_PRIVATE | VirtualMemoryManager.MAP_ANONYMOUS);
        long b = vm.mmap(0, P, 3, VirtualMemoryManager.MAP_PRIVATE | VirtualMemoryManager.MAP_ANONYMOUS);
        assertThat(a + 3 * P).isEqualTo(vm.mmapTop());
        assertThat(b + P).isEqualTo(a);
        assertThat(vm.mmap(a, P, 3, VirtualMemoryManager.MAP_FIXED_NOREPLACE | VirtualMemoryManager.MAP_ANONYMOUS))
                .isEqualTo(-LinuxErrno.EEXIST);
        assertThat(vm.mmap(a + 1, P, 3, VirtualMemoryManager.MAP_FIXED)).isEqualTo(-LinuxErrno.EINVAL);
        assertThat(vm.mmap(0, 0, 3, VirtualMemoryManager.MAP_ANONYMOUS)).isEqualTo(-LinuxErrno.EINVAL);
        assertThat(vm.munmap(a + P, P)).isZero();
        assertThat(vm.mprotect(a, 3 * P, 1)).as("a hole in the range").isEqualTo(-LinuxErrno.ENOMEM);
        long c = vm.mmap(0, P, 3, VirtualMemoryManager.MAP_PRIVATE | VirtualMemoryManager.MAP_ANONYMOUS);
        assertThat(c).as("the hole is reused only when nothing higher fits").isEqualTo(a + P);
    }

    @Test
    void mremapGrowsInPlaceOrMovesWithItsContents() {
        long above = vm.mmap(0, P, 3, VirtualMemoryManager.MAP_PRIVATE | VirtualMemoryManager.MAP_ANONYMOUS);
        long a = vm.mmap(0, P, 3, VirtualMemoryManager.MAP_PRIVATE | VirtualMemoryManager.MAP_ANONYMOUS);
        assertThat(a + P).isEqualTo(above);
        memory.store8(a + 5, 42);
        assertThat(vm.mremap(a, P, 2 * P, 0, 0)).as("no room above, may not move").isEqualTo(-LinuxErrno.ENOMEM);
        long moved = vm.mremap(a, P, 2 * P, VirtualMemoryManager.MREMAP_MAYMOVE, 0);
        assertThat(moved).isNotEqualTo(a);
        assertThat(memory.load8(moved + 5)).isEqualTo(42);
        assertThat(memory.mapped(a)).isFalse();
        assertThat(vm.mremap(moved, 2 * P, 3 * P, 0, 0)).as("room above: grows in place").isEqualTo(moved);
    }
}
