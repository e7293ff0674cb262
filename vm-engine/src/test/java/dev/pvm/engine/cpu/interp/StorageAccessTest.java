package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.mmu.SoftTlb;
import dev.pvm.engine.cpu.runtime.CodePages;
import dev.pvm.engine.cpu.runtime.TrackingMemory;
import dev.pvm.engine.cpu.runtime.WriteJournal;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.RamRegion;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The direct RAM path of {@link StorageAccess}: what it bypasses (the tracking layer, for untrapped pages only)
 * and what it leaves to the general path (TLB misses, page-crossing accesses, RAM it was not given), with the
 * same values and faults either way.
 */
class StorageAccessTest {

    private static final long PAGE = 1L << 12;
    private static final long LOW_RAM = 1 << 20;
    /** A second region, above the low one, that the direct path was not given. */
    private static final long HIGH_RAM = 0x1000_0000L;

    private final AddressSpace ram = new AddressSpace(List.of(RamRegion.allocate(0, LOW_RAM),
            RamRegion.allocate(HIGH_RAM, LOW_RAM)));
    /** The stores that reached the tracking layer: address and length. */
    private final List<long[]> tracked = new ArrayList<>();
    private final byte[] trap = new byte[(int) (LOW_RAM / PAGE) + 1];
    private final StorageAccess storage = new StorageAccess(new TrackingMemory(ram, new RecordingPages(),
            new WriteJournal(ram)));
    private final CpuState cpu = new CpuState(0);

    StorageAccessTest() {
        storage.attachRam(ram.regions().getFirst().hostSegment(), trap);
    }

    @AfterEach
    void close() {
        ram.close();
    }

    /** Code pages that only record what the tracking layer tells them was written. */
    private final class RecordingPages implements CodePages {
        @Override
        public void markCode(long start, long end) {
        }

        @Override
        public boolean overlapsCode(long address, long length) {
            return false;
        }

        @Override
        public void written(long address, long length) {
            tracked.add(new long[] {address, length});
        }

        @Override
        public void clear() {
        }

        @Override
        public void trapAll(boolean on) {
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void realModeAccessesToUntrappedPagesBypassTheTrackingLayerInEitherByteOrder(boolean le) {
        cpu.setMsr(Msr.SF | (le ? Msr.LE : 0));
        ByteOrder order = le ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        storage.store64(cpu, 0x2000, 0x1122_3344_5566_7788L);
        storage.store32(cpu, 0x2008, 0x99aa_bbccL);
        storage.store16(cpu, 0x200c, 0xddeeL);
        storage.store8(cpu, 0x200e, 0xffL);
        assertThat(tracked).isEmpty();
        assertThat(ram.load64(0x2000, order)).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(ram.load32(0x2008, order)).isEqualTo(0x99aa_bbcc);
        assertThat(ram.load16(0x200c, order)).isEqualTo(0xddee);
        assertThat(ram.load8(0x200e)).isEqualTo(0xff);
        assertThat(storage.load64(cpu, 0x2000)).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(storage.load32(cpu, 0x2008)).isEqualTo(0x99aa_bbcc);
        assertThat(storage.load16(cpu, 0x200c)).isEqualTo(0xddee);
        assertThat(storage.load8(cpu, 0x200e)).isEqualTo(0xff);
        // Effective address bits 0:3 are ignored in real mode, on the direct path as on the general one.
        assertThat(storage.load64(cpu, 0xc000_0000_0000_2000L)).isEqualTo(0x1122_3344_5566_7788L);
    }

    @Test
    void aStoreToATrappedPageGoesThroughTheTrackingLayer() {
        cpu.setMsr(Msr.SF);
        trap[3] = 1;
        storage.store32(cpu, 3 * PAGE + 16, 0x1234_5678);
        // The last bytes of an untrapped page followed by a trapped one: also tracked.
        storage.store64(cpu, 3 * PAGE - 4, -1L);
        storage.store64(cpu, 5 * PAGE, 7);
        assertThat(tracked).extracting(r -> r[0]).containsExactly(3 * PAGE + 16, 3 * PAGE - 4);
        assertThat(ram.load32(3 * PAGE + 16, ByteOrder.BIG_ENDIAN)).isEqualTo(0x1234_5678);
        assertThat(ram.load64(5 * PAGE, ByteOrder.BIG_ENDIAN)).isEqualTo(7);
    }

    @Test
    void ramThatWasNotAttachedIsReachedThroughTheLayers() {
        cpu.setMsr(Msr.SF);
        storage.store64(cpu, HIGH_RAM + 8, 0x0102_0304_0506_0708L);
        assertThat(tracked).extracting(r -> r[0]).containsExactly(HIGH_RAM + 8);
        assertThat(storage.load64(cpu, HIGH_RAM + 8)).isEqualTo(0x0102_0304_0506_0708L);
        // The last 8 bytes of the attached block, one byte short of it, and beyond it.
        storage.store64(cpu, LOW_RAM - 8, 5);
        assertThat(storage.load64(cpu, LOW_RAM - 8)).isEqualTo(5);
        assertThatThrownBy(() -> storage.load64(cpu, LOW_RAM - 4)).isInstanceOf(GuestInterruptSignal.class)
                .extracting(e -> ((GuestInterruptSignal) e).interrupt())
                .isInstanceOf(GuestInterrupt.MachineCheck.class);
    }

    @Test
    void aRelocatedAccessUsesATlbHitAndLeavesMissesToTheMmu() {
        long msr = Msr.SF | Msr.DR;
        cpu.setMsr(msr);
        long ea = 0xc000_0000_0004_0000L;
        ram.store64(0x7000 + 0x10, 0xfeed_face_cafe_beefL, ByteOrder.BIG_ENDIAN);
        cpu.mmu.tlb.fill(ea, msr, 0x7000, SoftTlb.READ, 0);
        assertThat(storage.load64(cpu, ea + 0x10)).isEqualTo(0xfeed_face_cafe_beefL);
        // No write permission cached, and no partition behind the TLB: the general path raises the storage
        // interrupt a store takes, and nothing is written.
        assertThatThrownBy(() -> storage.store64(cpu, ea + 0x10, 0)).isInstanceOf(GuestInterruptSignal.class)
                .extracting(e -> ((GuestInterruptSignal) e).interrupt())
                .isInstanceOfSatisfying(GuestInterrupt.DataStorage.class,
                        d -> assertThat(d.effectiveAddress()).isEqualTo(ea + 0x10));
        assertThat(ram.load64(0x7000 + 0x10, ByteOrder.BIG_ENDIAN)).isEqualTo(0xfeed_face_cafe_beefL);
    }

    @Test
    void aRelocatedStoreIntoAnUnmappedNextPageFaultsThereAndStoresNothing() {
        long msr = Msr.SF | Msr.DR;
        cpu.setMsr(msr);
        long ea = 0xc000_0000_0004_0000L;
        cpu.mmu.tlb.fill(ea, msr, 0x7000, SoftTlb.READ | SoftTlb.WRITE, 0);
        ram.store64(0x7ffc, 0x0102_0304_0506_0708L, ByteOrder.BIG_ENDIAN);
        assertThatThrownBy(() -> storage.store64(cpu, ea + PAGE - 4, -1L)).isInstanceOf(GuestInterruptSignal.class)
                .extracting(e -> ((GuestInterruptSignal) e).interrupt())
                .isInstanceOfSatisfying(GuestInterrupt.DataStorage.class,
                        d -> assertThat(d.effectiveAddress()).isEqualTo(ea + PAGE));
        assertThat(ram.load64(0x7ffc, ByteOrder.BIG_ENDIAN)).isEqualTo(0x0102_0304_0506_0708L);
    }

    @Test
    void aStoreTrapShorterThanTheRamIsRefused() {
        assertThatThrownBy(() -> storage.attachRam(ram.regions().getFirst().hostSegment(), new byte[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store trap");
    }
}
