package dev.pvm.engine.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.DeviceMemoryRegion;
import dev.pvm.engine.memory.RamRegion;
import dev.pvm.proto.common.v1.DeviceKind;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.proto.common.v1.NvLink2Info;
import dev.pvm.vfio.simulated.HeaderConfigRegion;
import dev.pvm.vfio.simulated.SimulatedNvLink2Region;
import dev.pvm.vfio.simulated.SimulatedPciFunction;
import dev.pvm.vfio.simulated.SimulatedVfioHost;
import dev.pvm.vfio.simulated.SimulatedVfioKernel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's real-host passthrough path (container, groups, device fds, config pread/pwrite, region mmap) run
 * against the simulated POWER9 kernel, which answers with the kernel's byte layouts and errnos.
 */
class VfioPassthroughTest {

    private static final long GPU_RAM = 1L << 24;
    private static final long PAGE = 0x10000;
    private static final long TGT = 0x0c00_0000_0000L;

    @TempDir
    Path dir;

    private SimulatedVfioHost host;

    private static HostPciDevice gpu(String address, int group) {
        return HostPciDevice.newBuilder().setAddress(address).setVendorId(0x10de).setDeviceId(0x1db1)
                .setKind(DeviceKind.DEVICE_KIND_NVLINK2_GPU).setIommuGroup(group)
                .setNvlink2(NvLink2Info.newBuilder().setTgt(TGT).setGpuRamSize(GPU_RAM)).build();
    }

    private static HostPciDevice bridge(String address, int group, int link) {
        return HostPciDevice.newBuilder().setAddress(address).setVendorId(0x1014).setDeviceId(0x04ea)
                .setKind(DeviceKind.DEVICE_KIND_NVLINK2_BRIDGE).setIommuGroup(group)
                .setNvlink2(NvLink2Info.newBuilder().setTgt(TGT).setAtsdSize(PAGE).setLinkSpeed(9)
                        .setLinkIndex(link)).build();
    }

    @BeforeEach
    void simulatedHost() throws IOException {
        SimulatedVfioHost base = SimulatedVfioHosts.of(List.of(gpu("0004:04:00.0", 0),
                bridge("0007:00:00.0", 0, 0), bridge("0007:00:00.1", 0, 1)), dir, dir.resolve("locks"));
        List<SimulatedPciFunction> functions = new ArrayList<>(base.functions());
        // Group 1 is not viable: one member is still bound to the host's nvidia driver.
        functions.add(new SimulatedPciFunction("0005:04:00.0", 1, "vfio-pci",
                () -> new HeaderConfigRegion(new byte[256]), Optional.empty()));
        functions.add(new SimulatedPciFunction("0005:04:00.1", 1, "nvidia",
                () -> new HeaderConfigRegion(new byte[256]), Optional.empty()));
        // Group 2's GPU RAM region lacks the SSATGT capability (a kernel that no longer provides it).
        functions.add(new SimulatedPciFunction("0006:04:00.0", 2, "vfio-pci", SimulatedVfioHosts.model(
                gpu("0006:04:00.0", 2)), Optional.of(new SimulatedNvLink2Region(true, GPU_RAM, OptionalLong.empty(),
                        OptionalInt.empty(), dir.resolve("0004:04:00.0.gpu-ram")))));
        host = new SimulatedVfioHost(functions, base.groupLocks());
    }

    private static PassthroughDevice device(String address, int devfn, DeviceModel model, int group) {
        return new PassthroughDevice(address, devfn, PciDeviceRole.PCI, 0, group, 0, 0, 0, 0, 0, model, 0,
                OptionalInt.of(group));
    }

    private static PhbConfig phb(PassthroughDevice... devices) {
        PhbConfig c = PciConfigRtasTest.phbConfig();
        return new PhbConfig(c.index(), c.buid(), c.liobns(), c.pio(), c.mmio32(), c.mmio32BusAddress(), c.mmio64(),
                c.mmio64BusAddress(), c.dma32(), List.of(devices), Optional.empty(), List.of());
    }

    private static PhbConfig gpuAndBridges() {
        return phb(device("0007:00:00.0", 0x00, DeviceModel.NPU2_BRIDGE, 0),
                device("0007:00:00.1", 0x01, DeviceModel.NPU2_BRIDGE, 0),
                device("0004:04:00.0", 0x08, DeviceModel.TESLA_V100, 0));
    }

    @Test
    void configSpaceGoesThroughTheDeviceFdAndGpuRamIsTheMappedRegion() throws IOException {
        SimulatedVfioKernel kernel = new SimulatedVfioKernel(host);
        try (VfioPassthrough vfio = VfioPassthrough.open(() -> kernel, List.of(gpuAndBridges()))) {
            SpaprPhb phb = new SpaprPhb(gpuAndBridges(), vfio);
            PciConfigSpace gpu = phb.function(0, 0x08).config();
            assertThat(gpu).isInstanceOf(VfioConfigRegion.class);
            assertThat(gpu.size()).isEqualTo(4096);
            assertThat(gpu.read(0x00, 4)).isEqualTo(0x1db1_10de);
            // BAR sizing through pread/pwrite, answered by the virtualized BARs.
            assertThat(PciBarProbe.probe(gpu)).extracting(PciBar::index, PciBar::size)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 16L << 20),
                            org.assertj.core.groups.Tuple.tuple(1, 16L << 30),
                            org.assertj.core.groups.Tuple.tuple(3, 32L << 20),
                            org.assertj.core.groups.Tuple.tuple(5, 128L));
            gpu.write(0x04, 2, 0xffff);
            assertThat(gpu.read(0x04, 2)).as("only the writable command bits").isEqualTo(0x0547);
            // The guest slot's multifunction bit, not the host's: slot 0 holds two bridge functions.
            PciConfigSpace bridge = phb.function(0, 0x00).config();
            assertThat(bridge.size()).isEqualTo(256);
            assertThat(bridge.read(0x0e, 1) & 0x80).isEqualTo(0x80);
            assertThat(bridge.read(0x8c, 1)).as("link index").isZero();
            assertThat(phb.function(0, 0x01).config().read(0x8c, 1)).isEqualTo(1);
            assertThat(gpu.read(0x0e, 1) & 0x80).as("GPU alone in its slot").isZero();

            DeviceMemoryRegion ram = vfio.mapNvLink2("GPU RAM", "0004:04:00.0", true, 0x4200_0000_0000L, GPU_RAM);
            DeviceMemoryRegion atsd = vfio.mapNvLink2("ATSD", "0007:00:00.1", false, 0x8000_0013_0000L, PAGE);
            try (AddressSpace memory = new AddressSpace(List.of(RamRegion.allocate(0, 1 << 20)),
                    List.of(ram, atsd))) {
                memory.store64(0x4200_0000_0040L, 0x1122_3344_5566_7788L, ByteOrder.LITTLE_ENDIAN);
                memory.store64(0x8000_0013_0000L, 1, ByteOrder.LITTLE_ENDIAN);
                assertThat(longAt(dir.resolve("0004:04:00.0.gpu-ram"), 0x40)).isEqualTo(0x1122_3344_5566_7788L);
                assertThat(longAt(dir.resolve("0007:00:00.1.atsd"), 0)).as("the ATSD launch register").isEqualTo(1);
            }
            assertThatThrownBy(() -> vfio.mapNvLink2("GPU RAM", "0004:04:00.0", true, 0, GPU_RAM / 2))
                    .isInstanceOf(PassthroughUnavailableException.class)
                    .hasMessageContaining("the layout maps 0x800000");
        }
    }

    private static long longAt(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, offset);
            return b.getLong(0);
        }
    }

    @Test
    void aGroupAnotherProcessHoldsIsBusyAndFreeAgainAfterClose() throws IOException {
        // Two kernels over the same host directory stand for two processes (device-service, another engine).
        SimulatedVfioKernel other = new SimulatedVfioKernel(host);
        VfioPassthrough first = VfioPassthrough.open(() -> other, List.of(gpuAndBridges()));
        SimulatedVfioKernel kernel = new SimulatedVfioKernel(host);
        assertThatThrownBy(() -> VfioPassthrough.open(() -> kernel, List.of(gpuAndBridges())))
                .isInstanceOfSatisfying(PassthroughUnavailableException.class, e -> {
                    assertThat(e.iommuGroup()).isZero();
                    assertThat(e.device()).isEqualTo("0007:00:00.0");
                })
                .hasMessageContaining("cannot pass through 0007:00:00.0, 0007:00:00.1, 0004:04:00.0 (IOMMU group 0)")
                .hasMessageContaining("EBUSY")
                .hasMessageContaining("another process");
        first.close();
        VfioPassthrough.open(() -> kernel, List.of(gpuAndBridges())).close();
    }

    @Test
    void aGroupThatIsNotViableOrADeviceOutsideItsGroupIsRefusedByName() {
        SimulatedVfioKernel kernel = new SimulatedVfioKernel(host);
        assertThatThrownBy(() -> VfioPassthrough.open(() -> kernel,
                List.of(phb(device("0005:04:00.0", 0x08, DeviceModel.PLAIN, 1)))))
                .isInstanceOf(PassthroughUnavailableException.class)
                .hasMessageContaining("0005:04:00.0 (IOMMU group 1)")
                .hasMessageContaining("not viable");
        assertThatThrownBy(() -> VfioPassthrough.open(() -> kernel,
                List.of(phb(device("0006:04:00.0", 0x08, DeviceModel.TESLA_V100, 0)))))
                .isInstanceOf(PassthroughUnavailableException.class)
                .hasMessageContaining("device 0006:04:00.0 through IOMMU group 0")
                .hasMessageContaining("ENODEV");
        // Every failure gave back what it had opened: group 0 opens again.
        VfioPassthrough.open(() -> kernel, List.of(gpuAndBridges())).close();
    }

    @Test
    void aRegionWithoutTheCapabilitiesQemuRequiresIsRefused() {
        SimulatedVfioKernel kernel = new SimulatedVfioKernel(host);
        try (VfioPassthrough vfio = VfioPassthrough.open(() -> kernel,
                List.of(phb(device("0006:04:00.0", 0x08, DeviceModel.TESLA_V100, 2))))) {
            assertThatThrownBy(() -> vfio.mapNvLink2("GPU RAM", "0006:04:00.0", true, 0, GPU_RAM))
                    .isInstanceOf(PassthroughUnavailableException.class)
                    .hasMessageContaining("device 0006:04:00.0 has no NVLink2 GPU RAM region (VFIO region type "
                            + "0x800010de/1 with the SSATGT capability)");
        }
    }

    @Test
    void aVmWithoutRealHostDevicesNeverAsksForTheKernel() {
        try (VfioPassthrough vfio = VfioPassthrough.open(() -> {
            throw new AssertionError("no kernel wanted");
        }, List.of(PciConfigRtasTest.phbConfig()))) {
            assertThat(vfio.isEmpty()).isTrue();
        }
    }
}
