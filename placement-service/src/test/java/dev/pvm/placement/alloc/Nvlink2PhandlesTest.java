package dev.pvm.placement.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Nvlink2PhandlesTest {

  /** Spec 2.2 worked values. */
  @Test
  void reproducesTheSpecPhandles() {
    assertThat(Nvlink2Phandles.pciDevice(1, 0x08)).isEqualTo(0x12010008);
    assertThat(Nvlink2Phandles.gpuRam(1, 0)).isEqualTo(0x110100FF);
    assertThat(Nvlink2Phandles.nvlink(1, 0, 1)).isEqualTo(0x00130101);
    assertThat(Nvlink2Phandles.pciDevice(0, 0)).isEqualTo(0x12000000);
    assertThat(Nvlink2Phandles.gpuRam(0, 0)).isEqualTo(0x110000FF);
    assertThat(Nvlink2Phandles.nvlink(0, 0, 0)).isEqualTo(0x00130000);
    assertThat(Nvlink2Phandles.pciDevice(30, 0xff)).isEqualTo(0x121E00FF);
    assertThat(Nvlink2Phandles.gpuRam(30, 5)).isEqualTo(0x111E05FF);
    assertThat(Nvlink2Phandles.nvlink(30, 5, 2)).isEqualTo(0x00131E52);
  }

  @Test
  void noTwoPhandlesCollideOverTheWholeValidRange() {
    Set<Integer> seen = new HashSet<>();
    int count = 0;
    for (int phb = 0; phb <= 30; phb++) {
      for (int devfn = 0; devfn <= 0xff; devfn++) {
        seen.add(Nvlink2Phandles.pciDevice(phb, devfn));
        count++;
      }
      for (int slot = 0; slot <= 5; slot++) {
        seen.add(Nvlink2Phandles.gpuRam(phb, slot));
        count++;
        for (int link = 0; link <= 2; link++) {
          seen.add(Nvlink2Phandles.nvlink(phb, slot, link));
          count++;
        }
      }
    }
    assertThat(seen).hasSize(count);
  }
}
