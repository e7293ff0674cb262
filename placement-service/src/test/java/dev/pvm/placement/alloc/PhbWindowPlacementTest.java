package dev.pvm.placement.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.placement.InvalidFieldException;
import dev.pvm.placement.machine.MachineType;
import dev.pvm.placement.machine.MachineTypeCatalog;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PhbWindowPlacementTest {

  private static final long GIB = 1L << 30;

  private static MachineType type(String name) {
    return MachineTypeCatalog.standard().find(name).orElseThrow();
  }

  /** Spec 3.2: the worked placement tuples of the default placement with two DMA windows. */
  @ParameterizedTest
  @CsvSource({
    "0,  0x800000020000000, 0x80000000, 0x80000001, 0x200000000000, 0x200080000000, 0x210000000000, 0x400000000000, 0x800000000000",
    "1,  0x800000020000001, 0x80000100, 0x80000101, 0x200000010000, 0x200100000000, 0x220000000000, 0x420000000000, 0x800000120000",
    "2,  0x800000020000002, 0x80000200, 0x80000201, 0x200000020000, 0x200180000000, 0x230000000000, 0x440000000000, 0x800000240000",
    "30, 0x80000002000001e, 0x80001e00, 0x80001e01, 0x2000001e0000, 0x200f80000000, 0x3f0000000000, 0x7c0000000000, 0x8000021c0000"
  })
  void reproducesTheSpecPlacementTuples(
      int n, String buid, String liobn0, String liobn1, String pio, String mmio32, String mmio64, String nv2gpa,
      String nv2atsd) {
    PhbWindows windows = PhbWindowPlacement.place(type("pseries-4.1"), n, 4 * GIB, "index");
    assertThat(windows.buid()).isEqualTo(hex(buid));
    assertThat(windows.liobns()).containsExactly((int) hex(liobn0), (int) hex(liobn1));
    assertThat(windows.pio()).isEqualTo(new Window(hex(pio), 0x10000));
    assertThat(windows.mmio32()).isEqualTo(new Window(hex(mmio32), 0x80000000L));
    assertThat(windows.mmio32BusAddress()).isEqualTo(0x80000000L);
    assertThat(windows.mmio64()).isEqualTo(new Window(hex(mmio64), 0x10000000000L));
    assertThat(windows.mmio64BusAddress()).isEqualTo(hex(mmio64));
    assertThat(windows.nv2Ram()).isEqualTo(new Window(hex(nv2gpa), 0x20000000000L));
    assertThat(windows.nv2Atsd()).isEqualTo(new Window(hex(nv2atsd), 0x120000));
    assertThat(windows.nvlink2Enabled()).isTrue();
  }

  @Test
  void windowEndsOfTheLastIndexStayBelowTheNextRegion() {
    PhbWindows windows = PhbWindowPlacement.place(type("pseries-8.1"), 30, GIB, "index");
    assertThat(windows.nv2Ram().end()).isEqualTo(0x7e0000000000L);
    assertThat(windows.nv2Ram().end()).isLessThanOrEqualTo(PhbWindowPlacement.NV2ATSD_WIN_BASE);
    assertThat(windows.nv2Atsd().end()).isEqualTo(0x8000022e0000L);
    assertThat(windows.mmio64().end()).isEqualTo(PhbWindowPlacement.PCI_LIMIT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pseries-2.8", "pseries-3.0", "pseries-3.1", "pseries-4.0"})
  void versionsBefore41KeepTheDefaultWindowsButNoNvlink2(String machine) {
    PhbWindows windows = PhbWindowPlacement.place(type(machine), 1, GIB, "index");
    assertThat(windows.mmio64()).isEqualTo(new Window(0x220000000000L, 0x10000000000L));
    assertThat(windows.nv2Ram()).isEqualTo(Window.NONE);
    assertThat(windows.nv2Atsd()).isEqualTo(Window.NONE);
    assertThat(windows.nvlink2Enabled()).isFalse();
  }

  /** Spec 3.3: 4 GiB RAM, no hotplug, n = 1 -> pio 0x11080000000, mmio32 0x110a0000000. */
  @Test
  void reproducesTheLegacy27Example() {
    PhbWindows windows = PhbWindowPlacement.place(type("pseries-2.7"), 1, 4 * GIB, "index");
    assertThat(windows.pio()).isEqualTo(new Window(0x11080000000L, 0x10000));
    assertThat(windows.mmio32()).isEqualTo(new Window(0x110a0000000L, 0x80000000L));
    assertThat(windows.buid()).isEqualTo(0x800000020000001L);
    assertThat(windows.liobns()).containsExactly(0x80000100, 0x80000101);
    // The PHB splits SPAPR_PCI_2_7_MMIO_WIN_SIZE (62 GiB): 2 GiB 32-bit, then 60 GiB at bus 0x100000000.
    assertThat(windows.mmio64()).isEqualTo(new Window(0x11120000000L, 60 * GIB));
    assertThat(windows.mmio64BusAddress()).isEqualTo(0x100000000L);
    assertThat(windows.nv2Ram()).isEqualTo(Window.NONE);
  }

  @Test
  void legacy27PlacesThePhbsAfterRamRoundedUpToOneTebibyte() {
    PhbWindows windows = PhbWindowPlacement.place(type("pseries-2.7"), 0, 1025 * GIB, "index");
    assertThat(windows.pio().base()).isEqualTo(0x20000000000L + 0x80000000L);
    PhbWindows last = PhbWindowPlacement.place(type("pseries-2.7"), 255, GIB, "index");
    assertThat(last.pio().base()).isEqualTo(0x10000000000L + 255 * 0x1000000000L + 0x80000000L);
    assertThat(last.liobns()).containsExactly(0x8000ff00, 0x8000ff01);
  }

  @Test
  void rejectsIndexesAboveTheVersionMaximumWithQemusText() {
    assertThatThrownBy(() -> PhbWindowPlacement.place(type("pseries-4.1"), 31, GIB, "phbs[1].index"))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessage("\"index\" for PAPR PHB is too large (max 30)")
        .extracting(e -> ((InvalidFieldException) e).field())
        .isEqualTo("phbs[1].index");
    assertThatThrownBy(() -> PhbWindowPlacement.place(type("pseries-2.9"), 31, GIB, "index"))
        .hasMessage("\"index\" for PAPR PHB is too large (max 30)");
    assertThatThrownBy(() -> PhbWindowPlacement.place(type("pseries-2.7"), 256, GIB, "index"))
        .hasMessage("\"index\" for PAPR PHB is too large (max 255)");
  }

  @Test
  void liobnMarksPciWindowsWithBit31() {
    assertThat(List.of(PhbWindowPlacement.liobn(0, 0), PhbWindowPlacement.liobn(30, 1)))
        .containsExactly(0x80000000, 0x80001e01);
  }

  private static long hex(String text) {
    return Long.parseUnsignedLong(text.substring(2), 16);
  }
}
