package dev.pvm.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.TextFormat;
import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.devices.pci.PassthroughUnavailableException;
import dev.pvm.engine.devices.pci.SimulatedVfioHosts;
import dev.pvm.engine.fdt.DtsPrinter;
import dev.pvm.engine.fdt.FdtNode;
import dev.pvm.engine.fdt.FdtReader;
import dev.pvm.engine.fdt.FdtTree;
import dev.pvm.engine.machine.InvalidVmConfigException;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.spapr.SpaprMachine;
import dev.pvm.engine.testing.ExternalTools;
import dev.pvm.engine.testing.TestResources;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.proto.engine.v1.CreateRequest;
import dev.pvm.vfio.simulated.SimulatedVfioHost;
import dev.pvm.vfio.simulated.SimulatedVfioKernel;
import io.grpc.Status;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * VMs with NVLink2 GPUs on an AC922-like simulated host, built from Create requests whose layout placement-service
 * computed (src/test/resources/nvlink2, kept equal to placement's answer by its EngineCreateRequestFixturesTest):
 * the device tree against golden files (fdt/golden/nvlink2-*.dts|dtb, regenerate with -Dgolden.update=true and
 * review the .dts diff), the NVLink2 values against the spec's worked numbers, and GPU RAM and ATSD pages
 * shared with the backing files.
 */
class NvLink2MachineTest {

    /** The prefix the fixtures give the simulated backing files (placement's test writes it). */
    private static final String DATA_DIR = "/pvm-data/devices/ac922-4gpu/backing/";
    /** Section 13's T0 and T1 as the fixture gives them (illustrative host values, passed through unchanged). */
    private static final long T0 = 0x400;
    private static final long T1 = 0x420;

    @TempDir
    Path dir;

    /** The fixture with its backing paths moved into the temporary directory, sparse files created. */
    private CreateRequest request(String name) throws IOException {
        CreateRequest.Builder b = CreateRequest.newBuilder();
        TextFormat.merge(TestResources.text("/nvlink2/" + name + ".create.txtpb"), b);
        for (HostPciDevice.Builder d : b.getDevicesBuilderList()) {
            String path = d.getNvlink2().getBackingPath();
            assertThat(path).startsWith(DATA_DIR);
            Path file = dir.resolve(path.substring(DATA_DIR.length()));
            if (!Files.exists(file)) {
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                    f.setLength(Math.max(d.getNvlink2().getGpuRamSize(), d.getNvlink2().getAtsdSize()));
                }
            }
            d.getNvlink2Builder().setBackingPath(file.toString());
        }
        return b.build();
    }

    private SpaprMachine machine(String name) throws IOException {
        return SpaprMachine.create(CreateRequestMapper.toConfig(request(name)), (b, o, l) -> { },
                Clock.systemUTC());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ac922-2phb-shared-groups-pseries-4.1", "ac922-2phb-two-groups-pseries-4.1",
            "ac922-2phb-shared-groups-pseries-4.0"})
    void matchesGoldenFiles(String scenario) throws Exception {
        byte[] dtb;
        try (SpaprMachine m = machine(scenario)) {
            dtb = m.deviceTree();
            m.reset();
            assertThat(m.deviceTree()).as("a reset recomputes the same tree: NUMA ids do not drift (spec 6.4)")
                    .isEqualTo(dtb);
        }
        String dts = DtsPrinter.print(FdtReader.read(dtb));
        Path golden = TestResources.moduleDir().resolve("src/test/resources/fdt/golden");
        Path dtbFile = golden.resolve("nvlink2-" + scenario + ".dtb");
        Path dtsFile = golden.resolve("nvlink2-" + scenario + ".dts");
        if (TestResources.updateGolden()) {
            Files.write(dtbFile, dtb);
            Files.writeString(dtsFile, dts);
        }
        assertThat(Files.exists(dtbFile)).as(dtbFile + " is missing; run with -Dgolden.update=true").isTrue();
        assertThat(dts).as("%s differs; if intended, regenerate with -Dgolden.update=true and review", dtsFile)
                .isEqualTo(Files.readString(dtsFile));
        assertThat(dtb).isEqualTo(Files.readAllBytes(dtbFile));
        if (ExternalTools.available("dtc")) {
            assertThat(ExternalTools.run(null, "dtc", "-q", "-I", "dtb", "-O", "dts", dtbFile.toString()))
                    .isEqualTo(Files.readString(dtsFile));
        }
    }

    private static long[] u64s(FdtNode node, String property) {
        ByteBuffer b = ByteBuffer.wrap(node.requireProperty(property).value());
        long[] values = new long[b.remaining() / 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = b.getLong();
        }
        return values;
    }

    /** Spec section 13, value by value (PHB 1, bridges at 0x00-0x03, GPUs at 0x08 and 0x10, 128 GiB each). */
    @Test
    void section13WorkedExample() throws IOException {
        try (SpaprMachine m = machine("spec13-pseries-4.1")) {
            FdtTree tree = FdtReader.read(m.deviceTree());
            FdtNode phb = tree.require("/pci@800000020000001");
            assertThat(u64s(phb, "ibm,mmio-atsd"))
                    .containsExactly(0x800000120000L, 0x800000130000L, 0x800000140000L, 0x800000150000L);
            FdtNode gpu0 = tree.require("/pci@800000020000001/3d-controller@1");
            assertThat(gpu0.requireProperty("ibm,npu").cells()).containsExactly(0x12010000, 0x12010001);
            assertThat(gpu0.requireProperty("phandle").u32()).isEqualTo(0x12010008);
            FdtNode gpu1 = tree.require("/pci@800000020000001/3d-controller@2");
            assertThat(gpu1.requireProperty("ibm,npu").cells()).containsExactly(0x12010002, 0x12010003);
            assertThat(gpu1.requireProperty("phandle").u32()).isEqualTo(0x12010010);
            int[][] bridges = {
                {0x12010000, 0x12010008, 0x00130100, 0x110100FF}, {0x12010001, 0x12010008, 0x00130101, 0x110100FF},
                {0x12010002, 0x12010010, 0x00130110, 0x110101FF}, {0x12010003, 0x12010010, 0x00130111, 0x110101FF}};
            String[] names = {"unknown-bridge@0", "unknown-bridge@0,1", "unknown-bridge@0,2", "unknown-bridge@0,3"};
            long[] tgts = {T0, T0, T1, T1};
            for (int i = 0; i < 4; i++) {
                FdtNode bridge = tree.require("/pci@800000020000001/" + names[i]);
                assertThat(List.of(bridge.requireProperty("phandle").u32(), bridge.requireProperty("ibm,gpu").u32(),
                        bridge.requireProperty("ibm,nvlink").u32(), bridge.requireProperty("memory-region").u32()))
                        .as(names[i]).containsExactly(bridges[i][0], bridges[i][1], bridges[i][2], bridges[i][3]);
                assertThat(bridge.requireProperty("ibm,device-tgt-addr").u64()).isEqualTo(tgts[i]);
                assertThat(bridge.requireProperty("ibm,device-tgt-addr").length()).isEqualTo(8);
                assertThat(bridge.requireProperty("ibm,nvlink-speed").u32()).isEqualTo(9);
                assertThat(bridge.property("ibm,pci-config-space-type")).as("256-byte NPU config").isEmpty();
            }
            FdtNode npu = tree.require("/npuphb1");
            assertThat(npu.requireProperty("#address-cells").u32()).isEqualTo(1);
            assertThat(npu.requireProperty("#size-cells").u32()).isZero();
            assertThat(npu.requireProperty("compatible").string()).isEqualTo("ibm,power9-npu");
            assertThat(npu.children()).extracting(FdtNode::name)
                    .containsExactly("link@0", "link@1", "link@2", "link@3");
            int[] linkPhandles = {0x00130100, 0x00130101, 0x00130110, 0x00130111};
            for (int i = 0; i < 4; i++) {
                FdtNode link = npu.children().get(i);
                assertThat(link.requireProperty("compatible").string()).isEqualTo("ibm,npu-link");
                assertThat(link.requireProperty("phandle").u32()).isEqualTo(linkPhandles[i]);
                assertThat(link.requireProperty("ibm,npu-link-index").u32()).isEqualTo(i);
                assertThat(link.property("reg")).isEmpty();
            }
            FdtNode mem0 = tree.require("/memory@420000000000");
            assertThat(u64s(mem0, "reg")).containsExactly(0x420000000000L, 0x2000000000L);
            assertThat(mem0.requireProperty("ibm,associativity").cells()).containsExactly(4, 1, 1, 1, 1);
            assertThat(mem0.requireProperty("compatible").string()).isEqualTo("ibm,coherent-device-memory");
            assertThat(u64s(mem0, "linux,usable-memory")).containsExactly(0x420000000000L, 0);
            assertThat(mem0.requireProperty("phandle").u32()).isEqualTo(0x110100FF);
            assertThat(mem0.properties()).extracting(p -> p.name()).containsExactly("device_type", "reg",
                    "ibm,associativity", "compatible", "linux,usable-memory", "phandle");
            FdtNode mem1 = tree.require("/memory@422000000000");
            assertThat(mem1.requireProperty("ibm,associativity").cells()).containsExactly(4, 1, 1, 1, 2);
            assertThat(mem1.requireProperty("phandle").u32()).isEqualTo(0x110101FF);
            FdtNode rtas = tree.require("/rtas");
            assertThat(rtas.requireProperty("ibm,associativity-reference-points").cells()).containsExactly(4, 4);
            assertThat(rtas.requireProperty("ibm,max-associativity-domains").cells()).containsExactly(4, 1, 1, 1, 3);
            // Guest memory map: both GPUs' RAM and the four ATSD pages, none of it RAM.
            assertThat(m.memory().isBacked(0x420000000000L, 0x4000000000L)).isTrue();
            assertThat(m.memory().isBacked(0x800000120000L, 0x40000)).isTrue();
            assertThat(m.memory().ramSize()).isEqualTo(512L << 20);
        }
    }

    @Test
    void withTwoIommuGroupsOnAVphbAtsdIsWithheldButTheRestStays() throws IOException {
        try (SpaprMachine m = machine("ac922-2phb-two-groups-pseries-4.1")) {
            FdtTree tree = FdtReader.read(m.deviceTree());
            for (String phb : List.of("/pci@800000020000001", "/pci@800000020000002")) {
                assertThat(tree.require(phb).property("ibm,mmio-atsd")).as(phb).isEmpty();
            }
            assertThat(tree.require("/npuphb1").children()).hasSize(6);
            assertThat(tree.require("/npuphb2").children()).hasSize(6);
            assertThat(tree.root().childrenNamed("memory")).hasSize(5);
            // The pages stay mapped: only the advertisement is withheld (spec 5.4).
            assertThat(m.memory().isBacked(0x800000120000L, 0x60000)).isTrue();
        }
    }

    @Test
    void pseries40HasNoNvlink2WindowsOrNodes() throws IOException {
        try (SpaprMachine m = machine("ac922-2phb-shared-groups-pseries-4.0")) {
            FdtTree tree = FdtReader.read(m.deviceTree());
            assertThat(tree.find("/npuphb1")).isEmpty();
            assertThat(tree.root().childrenNamed("memory")).hasSize(1);
            FdtNode phb = tree.require("/pci@800000020000001");
            assertThat(phb.property("ibm,mmio-atsd")).isEmpty();
            assertThat(phb.children()).hasSize(8);
            for (FdtNode device : phb.children()) {
                assertThat(device.properties()).extracting(p -> p.name())
                        .doesNotContain("ibm,npu", "ibm,gpu", "ibm,nvlink", "phandle", "memory-region");
            }
            assertThat(tree.require("/rtas").requireProperty("ibm,max-associativity-domains").cells())
                    .containsExactly(4, 0, 0, 0, 1);
            assertThat(m.memory().deviceRegions()).isEmpty();
        }
    }

    @Test
    void guestStoresReachTheBackingFilesAndHostWritesReachTheGuest() throws IOException {
        try (SpaprMachine m = machine("ac922-2phb-shared-groups-pseries-4.1")) {
            long gpu = 0x420000000000L;
            Path gpuRam = dir.resolve("0004:04:00.0.gpu-ram");
            m.memory().store64(gpu + 0x1000, 0x5555_aaaa_1234_5678L, ByteOrder.LITTLE_ENDIAN);
            try (FileChannel ch = FileChannel.open(gpuRam, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(b, 0x1000);
                assertThat(b.getLong(0)).isEqualTo(0x5555_aaaa_1234_5678L);
                ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), 0x2000);
            }
            assertThat(m.memory().load32(gpu + 0x2000, ByteOrder.BIG_ENDIAN)).isEqualTo(0x0102_0304);
            // ATSD launch register of the first link's page.
            m.memory().store64(0x800000120000L, 1, ByteOrder.LITTLE_ENDIAN);
            byte[] launch = Arrays.copyOf(Files.readAllBytes(dir.resolve("0007:00:00.0.atsd")), 8);
            assertThat(ByteBuffer.wrap(launch).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(1);
        }
    }

    /** The fixture as device-service publishes a real host: every NVLink2 backing is the device's VFIO group file. */
    private static CreateRequest realHostRequest(String name) throws IOException {
        CreateRequest.Builder b = CreateRequest.newBuilder();
        TextFormat.merge(TestResources.text("/nvlink2/" + name + ".create.txtpb"), b);
        for (HostPciDevice.Builder d : b.getDevicesBuilderList()) {
            if (!d.getNvlink2().getBackingPath().isEmpty()) {
                d.getNvlink2Builder().setBackingPath("/dev/vfio/" + d.getIommuGroup()).setBackingOffset(9L << 40);
            }
        }
        return b.build();
    }

    private static SpaprMachine realHostMachine(MachineConfig config, SimulatedVfioHost host) {
        return SpaprMachine.create(config, (b, o, l) -> { }, Clock.systemUTC(), ExecutionMode.fromSystemProperty(),
                () -> new SimulatedVfioKernel(host));
    }

    /**
     * The real-host path end to end against the simulated kernel: the engine opens container, groups and device
     * fds itself, builds the same device tree from config space read through the device fds, maps GPU RAM and ATSD
     * pages from the device fds, and holds the groups until the machine is closed.
     */
    @Test
    void onARealHostTheEngineTakesTheDevicesThroughVfio() throws IOException {
        String scenario = "ac922-2phb-shared-groups-pseries-4.1";
        CreateRequest request = realHostRequest(scenario);
        SimulatedVfioHost host = SimulatedVfioHosts.of(request.getDevicesList(), dir, dir.resolve("locks"));
        MachineConfig config = CreateRequestMapper.toConfig(request);
        try (SpaprMachine m = realHostMachine(config, host)) {
            assertThat(m.deviceTree()).as("the tree of the simulated path, config space now read with pread")
                    .isEqualTo(Files.readAllBytes(TestResources.moduleDir()
                            .resolve("src/test/resources/fdt/golden/nvlink2-" + scenario + ".dtb")));
            m.memory().store64(0x420000000000L + 0x1000, 0x5555_aaaa_1234_5678L, ByteOrder.LITTLE_ENDIAN);
            try (FileChannel ch = FileChannel.open(dir.resolve("0004:04:00.0.gpu-ram"), StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(b, 0x1000);
                assertThat(b.getLong(0)).isEqualTo(0x5555_aaaa_1234_5678L);
            }
            m.memory().store64(0x800000120000L, 1, ByteOrder.LITTLE_ENDIAN);
            byte[] launch = Arrays.copyOf(Files.readAllBytes(dir.resolve("0007:00:00.0.atsd")), 8);
            assertThat(ByteBuffer.wrap(launch).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(1);

            // A second VM (another process on the host) finds the groups busy: FAILED_PRECONDITION naming them.
            assertThatThrownBy(() -> realHostMachine(config, host))
                    .isInstanceOfSatisfying(PassthroughUnavailableException.class, e -> {
                        assertThat(e.iommuGroup()).isZero();
                        Status status = GrpcErrors.toStatus(e).getStatus();
                        assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                        assertThat(status.getDescription()).contains("0004:04:00.0").contains("IOMMU group 0")
                                .contains("EBUSY");
                    });
        }
        realHostMachine(config, host).close(); // the first VM gave its groups back
    }

    @Test
    void aRealHostDeviceWhoseBackingNamesAnotherGroupIsRefused() throws IOException {
        CreateRequest good = realHostRequest("spec13-pseries-4.1");
        CreateRequest.Builder bad = good.toBuilder();
        bad.getDevicesBuilder(4).getNvlink2Builder().setBackingPath("/dev/vfio/77");
        assertThatThrownBy(() -> CreateRequestMapper.toConfig(bad.build()))
                .isInstanceOfSatisfying(InvalidVmConfigException.class,
                        e -> assertThat(e.field()).isEqualTo("devices[4].nvlink2.backing_path"))
                .hasMessageContaining("/dev/vfio/77");
    }

    @Test
    void regionsDisagreeingWithTheLayoutOrOverlappingRamAreRefused() throws IOException {
        CreateRequest good = request("spec13-pseries-4.1");
        CreateRequest wrongSize = good.toBuilder().setDevices(4, good.getDevices(4).toBuilder().setNvlink2(
                good.getDevices(4).getNvlink2().toBuilder().setGpuRamSize(1L << 30))).build();
        assertThatThrownBy(() -> CreateRequestMapper.toConfig(wrongSize))
                .isInstanceOfSatisfying(InvalidVmConfigException.class,
                        e -> assertThat(e.field()).isEqualTo("layout.phbs[1].gpu_slots[0].ram"));
        CreateRequest.Builder overlapping = good.toBuilder();
        overlapping.getLayoutBuilder().getPhbsBuilder(1).getGpuSlotsBuilder(0).getRamBuilder().setBase(0x1000_0000L);
        MachineConfig config = CreateRequestMapper.toConfig(overlapping.build());
        assertThatThrownBy(() -> SpaprMachine.create(config, (b, o, l) -> { }, Clock.systemUTC()))
                .isInstanceOf(InvalidVmConfigException.class)
                .hasMessageContaining("GPU RAM of 0004:04:00.0 [0x10000000, 0x2010000000) overlaps RAM [0x0, "
                        + "0x20000000)");
        CreateRequest missing = good.toBuilder().removeDevices(5).build();
        assertThatThrownBy(() -> CreateRequestMapper.toConfig(missing))
                .hasMessageContaining("the request's devices do not describe");
    }
}
