package dev.pvm.vfio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IoctlEncodingTest {
  /** spec 8.2: n, generic, powerpc. */
  private static final int[][] SPEC_TABLE = {
    {0, 0x3B64, 0x20003B64}, {1, 0x3B65, 0x20003B65}, {2, 0x3B66, 0x20003B66}, {3, 0x3B67, 0x20003B67},
    {4, 0x3B68, 0x20003B68}, {5, 0x3B69, 0x20003B69}, {6, 0x3B6A, 0x20003B6A}, {7, 0x3B6B, 0x20003B6B},
    {8, 0x3B6C, 0x20003B6C}, {9, 0x3B6D, 0x20003B6D}, {10, 0x3B6E, 0x20003B6E}, {11, 0x3B6F, 0x20003B6F},
    {12, 0x3B70, 0x20003B70}, {13, 0x3B71, 0x20003B71}, {14, 0x3B72, 0x20003B72}, {15, 0x3B73, 0x20003B73},
    {16, 0x3B74, 0x20003B74}, {17, 0x3B75, 0x20003B75}, {18, 0x3B76, 0x20003B76}, {19, 0x3B77, 0x20003B77},
    {20, 0x3B78, 0x20003B78}, {21, 0x3B79, 0x20003B79},
  };

  @Test
  void vfioNumbersMatchTheSpecTableOnBothArchitectures() {
    assertThat(VfioIoctl.values()).hasSize(SPEC_TABLE.length);
    for (int[] row : SPEC_TABLE) {
      VfioIoctl ioctl = VfioIoctl.values()[row[0]];
      assertThat(ioctl.number(IoctlEncoding.GENERIC)).as("generic %s", ioctl).isEqualTo(row[1]);
      assertThat(ioctl.number(IoctlEncoding.POWERPC)).as("powerpc %s", ioctl).isEqualTo(row[2]);
    }
  }

  @Test
  void namedNumbersSpotCheck() {
    assertThat(VfioIoctl.DEVICE_GET_REGION_INFO.number(IoctlEncoding.GENERIC)).isEqualTo(0x3B6C);
    assertThat(VfioIoctl.DEVICE_GET_REGION_INFO.number(IoctlEncoding.POWERPC)).isEqualTo(0x20003B6C);
    assertThat(VfioIoctl.GROUP_GET_DEVICE_FD.number(IoctlEncoding.POWERPC)).isEqualTo(0x20003B6A);
  }

  @Test
  void sizedRequestsUseEachArchitecturesDirectionAndSizeFields() {
    // FS_IOC_GETFLAGS = _IOR('f', 1, long): 0x80086601 generic, 0x40086601 on powerpc (READ = 2 at bit 29).
    assertThat(IoctlEncoding.GENERIC.ior('f', 1, 8)).isEqualTo(0x80086601);
    assertThat(IoctlEncoding.POWERPC.ior('f', 1, 8)).isEqualTo(0x40086601);
    // FS_IOC_SETFLAGS = _IOW('f', 2, long): 0x40086602 generic, 0x80086602 on powerpc (WRITE = 4).
    assertThat(IoctlEncoding.GENERIC.iow('f', 2, 8)).isEqualTo(0x40086602);
    assertThat(IoctlEncoding.POWERPC.iow('f', 2, 8)).isEqualTo(0x80086602);
    assertThat(IoctlEncoding.GENERIC.iowr('f', 3, 8)).isEqualTo(0xC0086603);
    assertThat(IoctlEncoding.POWERPC.iowr('f', 3, 8)).isEqualTo(0xC0086603);
  }

  @Test
  void architectureFollowsOsArch() {
    assertThat(IoctlEncoding.forArch("ppc64le")).isEqualTo(IoctlEncoding.POWERPC);
    assertThat(IoctlEncoding.forArch("ppc64")).isEqualTo(IoctlEncoding.POWERPC);
    assertThat(IoctlEncoding.forArch("amd64")).isEqualTo(IoctlEncoding.GENERIC);
    assertThat(IoctlEncoding.forArch("aarch64")).isEqualTo(IoctlEncoding.GENERIC);
  }

  @Test
  void requestNumbersDecodeBackToTheIoctl() {
    for (IoctlEncoding e : IoctlEncoding.values()) {
      for (VfioIoctl i : VfioIoctl.values()) {
        assertThat(VfioIoctl.of(e, i.number(e))).isEqualTo(i);
      }
    }
    assertThat(VfioIoctl.of(IoctlEncoding.POWERPC, 0x3B6C)).isNull();
  }
}
