package dev.pvm.engine.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The PHB's default DMA window: the layout's first LIOBN and dma32 window, 4 KiB TCEs, cleared by a reset. */
class SpaprPhbDmaWindowTest {

    @Test
    void windowComesFromTheLayoutAndResetRevokesItsMappings() {
        SpaprPhb phb = new SpaprPhb(PciConfigRtasTest.phbConfig());
        TceTable window = phb.dmaWindow();
        assertThat(window.liobn()).isEqualTo(0x80000100);
        assertThat(window.busOffset()).isZero();
        assertThat(window.windowSize()).isEqualTo(0x40000000L);
        assertThat(window.size()).isEqualTo(262144);
        window.put(window.index(0x7000), 0x12000 | TceTable.READ | TceTable.WRITE);
        assertThat(window.translate(0x7010, true)).hasValue(0x12010);
        phb.reset();
        assertThat(window.translate(0x7010, true)).isEmpty();
        assertThat(window.get(window.index(0x7000))).isZero();
    }

    @Test
    void aLayoutWithoutLiobnOrWithAnUnalignedWindowIsRefused() {
        PhbConfig c = PciConfigRtasTest.phbConfig();
        assertThatThrownBy(() -> new SpaprPhb(withDma(c, List.of(), c.dma32())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no LIOBN");
        assertThatThrownBy(() -> new SpaprPhb(withDma(c, c.liobns(), new AddressWindow(0, 0x40000800L))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not aligned");
    }

    private static PhbConfig withDma(PhbConfig c, List<Integer> liobns, AddressWindow dma32) {
        return new PhbConfig(c.index(), c.buid(), liobns, c.pio(), c.mmio32(), c.mmio32BusAddress(), c.mmio64(),
                c.mmio64BusAddress(), dma32, c.devices(), Optional.empty(), c.warnings());
    }
}
