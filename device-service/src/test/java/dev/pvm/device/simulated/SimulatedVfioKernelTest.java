package dev.pvm.device.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.device.nvlink.NvLink2RegionProbe;
import dev.pvm.vfio.IoctlEncoding;
import dev.pvm.vfio.RegionCapability;
import dev.pvm.vfio.RegionInfo;
import dev.pvm.vfio.RegionInfoFormatException;
import dev.pvm.vfio.Vfio;
import dev.pvm.vfio.VfioContainer;
import dev.pvm.vfio.VfioDevice;
import dev.pvm.vfio.VfioGroup;
import dev.pvm.vfio.VfioIoctl;
import dev.pvm.vfio.VfioIoctlException;
import dev.pvm.vfio.VfioKernel;
import dev.pvm.vfio.VfioUnavailableException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated kernel driven through the same VfioContainer/VfioGroup/VfioDevice classes as the real one. */
class SimulatedVfioKernelTest {
  @TempDir Path dir;
  private SimulatedHostLayout layout;
  private dev.pvm.vfio.simulated.SimulatedVfioKernel kernel;

  @BeforeEach
  void host() {
    layout = TestHosts.write(TestHosts.testDescription("test-mixed-group"), dir);
    kernel = SimulatedHostVfio.kernel(layout);
  }

  @Test
  void usesThePowerpcEncoding() {
    assertThat(kernel.encoding()).isEqualTo(IoctlEncoding.POWERPC);
    assertThatThrownBy(() -> kernel.ioctl(kernel.open(Vfio.CONTAINER_PATH), 0x3B64, 0L))
        .isInstanceOf(VfioIoctlException.class)
        .satisfies(e -> assertThat(((VfioIoctlException) e).errno()).isEqualTo(25)); // ENOTTY: x86 number
  }

  @Test
  void readsTheGpuRamRegionWithTheArgszRetryAndMapsIt() throws Exception {
    try (VfioContainer container = VfioContainer.open(kernel);
        VfioGroup group = VfioGroup.open(kernel, 0)) {
      assertThat(group.status() & Vfio.GROUP_FLAGS_CONTAINER_SET).isZero();
      group.attach(container);
      assertThat(group.status()).isEqualTo(Vfio.GROUP_FLAGS_VIABLE | Vfio.GROUP_FLAGS_CONTAINER_SET);
      assertThat(container.setIommu()).isEqualTo(Vfio.SPAPR_TCE_v2_IOMMU);
      try (VfioDevice gpu = group.device("0004:04:00.0")) {
        VfioDevice.Info info = gpu.info();
        assertThat(info.numRegions()).isEqualTo(10);
        assertThat(info.flags() & Vfio.DEVICE_FLAGS_PCI).isNotZero();

        // The raw first call with argsz 32: argsz raised to 64, cap_offset 0, no error (spec 8.4).
        byte[] first = new byte[32];
        ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 32).putInt(8, 9);
        kernel.ioctl(gpu.fd(), VfioIoctl.DEVICE_GET_REGION_INFO.number(IoctlEncoding.POWERPC), first);
        ByteBuffer answer = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(answer.getInt(0)).isEqualTo(64);
        assertThat(answer.getInt(4)).isEqualTo(0xf);
        assertThat(answer.getInt(12)).isZero();

        RegionInfo ram = gpu.findRegion(Vfio.REGION_TYPE_NVIDIA_NVLINK2, Vfio.REGION_SUBTYPE_NVIDIA_NVLINK2_RAM)
            .orElseThrow();
        assertThat(ram.argsz()).isEqualTo(64);
        assertThat(ram.capOffset()).isEqualTo(32);
        assertThat(ram.index()).isEqualTo(9);
        assertThat(ram.size()).isEqualTo(256L << 20);
        assertThat(ram.offset()).isEqualTo(0x90000000000L);
        assertThat(ram.capability(RegionCapability.Ssatgt.class).orElseThrow().tgt()).isEqualTo(0xc0000000000L);

        try (VfioKernel.MappedRegion mapping = gpu.map(ram)) {
          MemorySegment s = mapping.segment();
          s.set(ValueLayout.JAVA_LONG_UNALIGNED, 4096, 0x1122334455667788L);
        }
        try (var ch = java.nio.channels.FileChannel.open(layout.gpus().get(0).backingFile())) {
          ByteBuffer read = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
          ch.read(read, 4096);
          assertThat(read.getLong(0)).isEqualTo(0x1122334455667788L);
        }
        // vfio_pci_nvlink2: one GPU RAM mapping per device open.
        assertThatThrownBy(() -> gpu.map(ram)).isInstanceOf(VfioIoctlException.class).hasMessageContaining("EPERM");
      }
    }
  }

  @Test
  void bridgeRegionCarriesTgtAndLinkSpeedAndMapsExactlyOnePage() {
    try (VfioContainer container = VfioContainer.open(kernel);
        VfioGroup group = VfioGroup.open(kernel, 0)) {
      group.attach(container);
      container.setIommu();
      try (VfioDevice bridge = group.device("0007:00:00.2")) {
        NvLink2RegionProbe.NvLink2Region r = NvLink2RegionProbe.read(bridge, false).orElseThrow();
        assertThat(r.region().argsz()).isEqualTo(80);
        assertThat(r.region().size()).isEqualTo(0x10000);
        assertThat(r.tgt()).isEqualTo(0xc0000000000L);
        assertThat(r.linkSpeed()).contains(9);
        assertThat(r.backing().path()).endsWith("0007:00:00.2.atsd");
        try (VfioKernel.MappedRegion page = bridge.map(r.region())) {
          assertThat(page.segment().byteSize()).isEqualTo(0x10000);
        }
        assertThatThrownBy(() -> kernel.mmap(bridge.fd(), r.region().offset(), 4096))
            .isInstanceOf(VfioIoctlException.class).hasMessageContaining("EINVAL");
      }
    }
  }

  @Test
  void devicesNeedTheIommuSetFirst() {
    try (VfioContainer container = VfioContainer.open(kernel);
        VfioGroup group = VfioGroup.open(kernel, 0)) {
      assertThatThrownBy(container::setIommu).isInstanceOf(VfioIoctlException.class)
          .hasMessageContaining("VFIO_SET_IOMMU").hasMessageContaining("EINVAL");
      group.attach(container);
      assertThatThrownBy(() -> group.device("0004:04:00.0")).isInstanceOf(VfioIoctlException.class)
          .hasMessageContaining("GROUP_GET_DEVICE_FD");
      container.setIommu();
      assertThatThrownBy(() -> group.device("0000:02:00.0")).isInstanceOf(VfioIoctlException.class)
          .hasMessageContaining("ENODEV"); // not in this group
    }
  }

  @Test
  void aGroupWithAMemberOnAHostDriverIsNotViable() {
    assertThatThrownBy(() -> VfioGroup.open(kernel, 7))
        .isInstanceOf(VfioUnavailableException.class)
        .hasMessageContaining("IOMMU group 7 is not viable");
    assertThatThrownBy(() -> VfioGroup.open(kernel, 42))
        .isInstanceOf(VfioUnavailableException.class)
        .hasMessageContaining("/dev/vfio/42");
  }

  @Test
  void aDeviceWithoutNvLink2HasOnlyTheStandardRegions() {
    try (VfioContainer container = VfioContainer.open(kernel);
        VfioGroup group = VfioGroup.open(kernel, 8)) {
      group.attach(container);
      container.setIommu();
      try (VfioDevice nic = group.device("0000:02:00.0")) {
        assertThat(nic.info().numRegions()).isEqualTo(Vfio.PCI_NUM_REGIONS);
        assertThat(nic.regionInfo(Vfio.PCI_CONFIG_REGION_INDEX).size()).isEqualTo(4096);
        assertThat(NvLink2RegionProbe.read(nic, true)).isEmpty();
        assertThatThrownBy(() -> nic.regionInfo(9)).isInstanceOf(VfioIoctlException.class);
      }
    }
  }

  @Test
  void malformedAnswersFromTheKernelAreCleanErrors() {
    // A kernel whose GET_REGION_INFO answers have a capability pointing at itself.
    VfioKernel looping = new ForwardingKernel(kernel) {
      @Override
      public int ioctl(int fd, int request, byte[] struct) {
        int result = super.ioctl(fd, request, struct);
        ByteBuffer b = ByteBuffer.wrap(struct).order(ByteOrder.LITTLE_ENDIAN);
        if (VfioIoctl.of(encoding(), request) == VfioIoctl.DEVICE_GET_REGION_INFO && b.getInt(12) == 32) {
          b.putInt(48 + 4, 48);
        }
        return result;
      }
    };
    try (VfioContainer container = VfioContainer.open(looping);
        VfioGroup group = VfioGroup.open(looping, 0)) {
      group.attach(container);
      container.setIommu();
      try (VfioDevice gpu = group.device("0004:04:00.0")) {
        assertThatThrownBy(() -> gpu.regionInfo(9))
            .isInstanceOf(RegionInfoFormatException.class).hasMessageContaining("loop");
      }
    }
  }

  /** Passes every call to another kernel; tests override what they corrupt. */
  private static class ForwardingKernel implements VfioKernel {
    private final VfioKernel delegate;

    ForwardingKernel(VfioKernel delegate) {
      this.delegate = delegate;
    }

    public IoctlEncoding encoding() {
      return delegate.encoding();
    }

    public ByteOrder byteOrder() {
      return delegate.byteOrder();
    }

    public int open(String path) {
      return delegate.open(path);
    }

    public int ioctl(int fd, int request, long value) {
      return delegate.ioctl(fd, request, value);
    }

    public int ioctl(int fd, int request, byte[] struct) {
      return delegate.ioctl(fd, request, struct);
    }

    public int ioctl(int fd, int request, String text) {
      return delegate.ioctl(fd, request, text);
    }

    public int pread(int fd, byte[] buffer, long offset) {
      return delegate.pread(fd, buffer, offset);
    }

    public int pwrite(int fd, byte[] buffer, long offset) {
      return delegate.pwrite(fd, buffer, offset);
    }

    public MappedRegion mmap(int fd, long offset, long length) {
      return delegate.mmap(fd, offset, length);
    }

    public void close(int fd) {
      delegate.close(fd);
    }

    public RegionBacking backing(int deviceFd, long regionOffset) {
      return delegate.backing(deviceFd, regionOffset);
    }
  }
}
