package dev.pvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pvm.proto.common.v1.NvLink2Info;
import dev.pvm.proto.device.v1.Device;
import dev.pvm.proto.device.v1.DeviceServiceGrpc;
import dev.pvm.proto.device.v1.GetDeviceRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7 end to end on the simulated AC922 host: a VM with two NVLink2 GPUs (each with its three NPU bridges, one
 * vPHB per GPU so that each vPHB holds one IOMMU group and advertises its ATSD pages, spec 5.8), created and driven
 * through REST and the console WebSocket only, booting Debian's 6.1 kernel with the busybox shell initramfs.
 *
 * <p>From the guest: the NVLink2 device-tree nodes of spec section 5 under {@code /proc/device-tree}, compared with
 * the VM's REST view and placement's layout; GPU RAM written and read through {@code /dev/mem} (busybox devmem, a
 * cache-inhibited mapping at 64 TiB + n * 2 TiB) and found in the simulated GPU's backing file on the host, and the
 * other way round; a write of the ATSD launch register (128 TiB, spec 2.1; LAUNCH at offset 0 of the page as Linux's
 * npu-dma.c has it) counted by the simulated NPU. Stopping and deleting the VM frees the GPUs, and a second VM, the
 * same definition as {@code pseries-4.0}, takes them: that machine has no NVLink2 windows (spec 3.3), so neither its
 * layout nor its guest's device tree has any NVLink2 part.
 *
 * <p>Two boots; each takes tens of seconds of engine time on a quiet host and several minutes on a loaded one,
 * hence the generous but bounded waits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NvLink2GpuVmIT {
    private static final Duration BOOT = Duration.ofMinutes(6);
    private static final Duration COMMAND = Duration.ofSeconds(90);
    private static final Duration END = Duration.ofSeconds(60);

    /** The default simulated host's first two GPUs, each with its three bridges on NPU 0007 (one IOMMU group each). */
    private static final String GPU_A = "0004:04:00.0";
    private static final List<String> BRIDGES_A = List.of("0007:00:00.0", "0007:00:00.1", "0007:00:00.2");
    private static final String GPU_B = "0005:04:00.0";
    private static final List<String> BRIDGES_B = List.of("0007:00:01.0", "0007:00:01.1", "0007:00:01.2");
    private static final List<String> ALL_DEVICES =
            Stream.of(List.of(GPU_A), BRIDGES_A, List.of(GPU_B), BRIDGES_B).flatMap(List::stream).toList();
    /** Guest PHB index of each GPU (and its bridges). */
    private static final Map<String, Integer> PHB = Map.of(GPU_A, 1, GPU_B, 2);

    private Platform platform;
    private RestApi api;
    private DebianGuest guest;
    private ManagedChannel deviceChannel;
    private DeviceServiceGrpc.DeviceServiceBlockingStub devices;

    @BeforeAll
    void startPlatform() throws Exception {
        platform = new Platform("nvlink2-gpu-vm");
        guest = DebianGuest.locate(platform.root);
        platform.start();
        api = new RestApi(platform::gatewayUri);
        deviceChannel = NettyChannelBuilder.forAddress("127.0.0.1", platform.deviceGrpcPort).usePlaintext().build();
        devices = DeviceServiceGrpc.newBlockingStub(deviceChannel);
    }

    @AfterAll
    void stopPlatform() throws Exception {
        if (deviceChannel != null) {
            deviceChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void gpuVmSeesItsGpusThenReleasesThemToAPseries40VmWithoutNvlink2() throws Exception {
        assertThat(holders()).as("every device free before the first VM").allMatch(String::isEmpty);

        // placement's layout for the definition, as the REST API computes it without reserving anything
        JsonNode layout = post("/api/v1/layouts", definition("gpu-41", "pseries-4.1"), 200);
        String first = create(definition("gpu-41", "pseries-4.1"));
        JsonNode started = post("/api/v1/vms/" + first + "/start", null, 200, 202);
        assertThat(holders()).as("the VM holds its GPUs and bridges").allMatch(first::equals);
        List<GpuView> gpus = gpusOf(started, layout);

        try (GuestShell shell = GuestShell.open(platform.gatewayUri(""), first, () -> diagnostics(first))) {
            shell.awaitPrompt(BOOT);
            checkNvlink2DeviceTree(shell, gpus, layout);
            checkGpuRamThroughDevMem(shell, gpus);
            checkAtsdLaunchCounted(shell, gpus.getFirst().links().getFirst());
        }

        JsonNode stopped = post("/api/v1/vms/" + first + "/stop", null, 200);
        assertThat(stopped.get("state").asString()).isEqualTo("SHUTOFF");
        assertThat(stopped.has("gpus")).as("a stopped VM shows no GPU placement").isFalse();
        assertThat(holders()).as("stopping released the GPUs and bridges").allMatch(String::isEmpty);
        assertThat(api.delete("/api/v1/vms/" + first).status()).isIn(200, 204);
        assertThat(api.get("/api/v1/vms/" + first).status()).isEqualTo(404);
        assertThat(holders()).as("nothing held after the delete").allMatch(String::isEmpty);

        // The same devices for a second VM, a pseries-4.0 one: the GPUs pass through as plain PCI functions.
        JsonNode oldLayout = post("/api/v1/layouts", definition("gpu-40", "pseries-4.0"), 200);
        for (JsonNode phb : oldLayout.get("phbs")) {
            assertThat(phb.get("nv2Ram").get("size").asString()).as("pseries-4.0 has no NVLink2 RAM window")
                    .isEqualTo("0x0");
            assertThat(phb.get("nv2Atsd").get("size").asString()).as("nor an ATSD window").isEqualTo("0x0");
            assertThat(!phb.has("gpuSlots") || phb.get("gpuSlots").isEmpty()).as("nor GPU slots: %s", phb).isTrue();
        }
        String second = create(definition("gpu-40", "pseries-4.0"));
        JsonNode secondStarted = post("/api/v1/vms/" + second + "/start", null, 200, 202);
        assertThat(secondStarted.has("gpus")).as("no NVLink2 GPU placement on pseries-4.0").isFalse();
        assertThat(holders()).as("the second VM took the released devices").allMatch(second::equals);
        try (GuestShell shell = GuestShell.open(platform.gatewayUri(""), second, () -> diagnostics(second))) {
            shell.awaitPrompt(BOOT);
            checkNoNvlink2InDeviceTree(shell);
            shell.send("poweroff -f");
            shell.awaitClosed(END);
        }
        await().atMost(END).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(state(second)).as(diagnostics(second)).isEqualTo("SHUTOFF"));
        // SHUTOFF is recorded from the engine's event; the devices go when its process has exited.
        await().atMost(END).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(holders())
                .as("the guest's power-off released the devices").allMatch(String::isEmpty));
        assertThat(api.delete("/api/v1/vms/" + second).status()).isIn(200, 204);
    }

    // ---- the pseries-4.1 guest -----------------------------------------------------------------------------------

    /** Spec section 5 as the guest kernel unflattened it, against the REST view and the layout. */
    private void checkNvlink2DeviceTree(GuestShell shell, List<GpuView> gpus, JsonNode layout) {
        List<String> root = words(shell.run("ls /proc/device-tree", COMMAND));
        for (GpuView gpu : gpus) {
            String phb = "/proc/device-tree/pci@" + Long.toHexString(0x800000020000000L + gpu.phb());
            assertThat(root).contains("npuphb" + gpu.phb(), "memory@" + Long.toHexString(gpu.ram()));

            List<String> links = words(shell.run("ls /proc/device-tree/npuphb" + gpu.phb(), COMMAND));
            assertThat(links).as("one link@N per bridge of the vPHB's GPU")
                    .containsAll(List.of("link@0", "link@1", "link@2")).doesNotContain("link@3");
            assertThat(shell.run("cat /proc/device-tree/npuphb" + gpu.phb() + "/compatible", COMMAND))
                    .startsWith("ibm,power9-npu");

            // ibm,mmio-atsd on the vPHB: the bridges' ATSD pages in link order, as the VM view and the layout say
            List<Long> mmioAtsd = u64s(property(shell, phb + "/ibm,mmio-atsd"));
            assertThat(mmioAtsd).isEqualTo(gpu.links().stream().map(LinkView::atsd).toList());
            assertThat(mmioAtsd).isEqualTo(hexes(layoutPhb(layout, gpu.phb()).get("mmioAtsd")));

            // ibm,device-tgt-addr on every bridge node of the vPHB: the GPU's host tgt
            String tgts = shell.run("for p in " + phb + "/*/ibm,device-tgt-addr; do hexdump -v -e '1/1 \"%02x\"' $p;"
                    + " echo; done", COMMAND);
            assertThat(words(tgts)).hasSize(gpu.links().size())
                    .allSatisfy(tgt -> assertThat(Long.parseUnsignedLong(tgt, 16)).isEqualTo(gpu.tgt()));

            // the GPU RAM memory@ node: coherent device memory, unusable at boot, in the GPU's own NUMA node
            String memory = "/proc/device-tree/memory@" + Long.toHexString(gpu.ram());
            assertThat(shell.run("cat " + memory + "/compatible", COMMAND)).startsWith("ibm,coherent-device-memory");
            assertThat(u64s(property(shell, memory + "/reg"))).containsExactly(gpu.ram(), gpu.ramSize());
            assertThat(u64s(property(shell, memory + "/linux,usable-memory"))).containsExactly(gpu.ram(), 0L);
            List<Long> associativity = u32s(property(shell, memory + "/ibm,associativity"));
            assertThat(associativity).isEqualTo(gpu.associativity());
            assertThat(associativity.getLast()).as("the NUMA id the REST view shows").isEqualTo((long) gpu.numaNode());
        }
    }

    /**
     * Stores through /dev/mem at each GPU's RAM address land in that GPU's backing file at the same offset (and not
     * in the other GPU's), and bytes the host puts in the file are what the guest loads.
     */
    private void checkGpuRamThroughDevMem(GuestShell shell, List<GpuView> gpus) throws IOException {
        long offset = 0x12340;
        List<Long> patterns = List.of(0x0123456789abcdefL, 0xfedcba9876543210L);
        for (int i = 0; i < gpus.size(); i++) {
            shell.run("devmem 0x%x 64 0x%x".formatted(gpus.get(i).ram() + offset, patterns.get(i)), COMMAND);
        }
        for (int i = 0; i < gpus.size(); i++) {
            NvLink2Info backing = nvlink2(gpus.get(i).address());
            // The guest is little-endian: a 64-bit store puts the low byte first.
            assertThat(readLong(backing, offset)).as("GPU RAM of %s at +0x%x in %s", gpus.get(i).address(), offset,
                    backing.getBackingPath()).isEqualTo(patterns.get(i));
        }

        long hostOffset = 0x45670;
        long hostValue = 0x5aa5c33c0ff0e11eL;
        GpuView gpu = gpus.getLast();
        writeLong(nvlink2(gpu.address()), hostOffset, hostValue);
        String loaded = shell.run("devmem 0x%x 64".formatted(gpu.ram() + hostOffset), COMMAND).strip();
        assertThat(Long.parseUnsignedLong(loaded.replaceFirst("^0[xX]", ""), 16))
                .as("the guest loads what the host stored in the backing file").isEqualTo(hostValue);
    }

    /** One write of LAUNCH (offset 0 of the bridge's ATSD page) is one launch for the simulated NPU. */
    private void checkAtsdLaunchCounted(GuestShell shell, LinkView link) {
        long before = device(link.bridge()).getAtsdLaunches();
        shell.run("devmem 0x%x 64 0x1".formatted(link.atsd()), COMMAND);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(device(link.bridge()).getAtsdLaunches())
                        .as("ATSD launches counted for %s", link.bridge()).isEqualTo(before + 1));
        String launch = shell.run("devmem 0x%x 64".formatted(link.atsd()), COMMAND).strip();
        assertThat(Long.parseUnsignedLong(launch.replaceFirst("^0[xX]", ""), 16))
                .as("the NPU consumed the launch (LAUNCH reads 0 again)").isZero();
    }

    // ---- the pseries-4.0 guest -----------------------------------------------------------------------------------

    private void checkNoNvlink2InDeviceTree(GuestShell shell) {
        List<String> root = words(shell.run("ls /proc/device-tree", COMMAND));
        assertThat(root).as("the GPUs' vPHBs are there").contains("pci@800000020000001", "pci@800000020000002");
        assertThat(root).as("no /npuphbN and no GPU RAM memory@ node")
                .noneMatch(name -> name.startsWith("npuphb"))
                .allMatch(name -> !name.startsWith("memory@") || name.equals("memory@0"));
        for (int phb : PHB.values()) {
            String dir = "/proc/device-tree/pci@" + Long.toHexString(0x800000020000000L + phb);
            assertThat(words(shell.run("ls " + dir, COMMAND))).as(dir).doesNotContain("ibm,mmio-atsd");
            String nvlinkProperties = shell.run("ls " + dir + "/*/ | grep -e '^ibm,npu$' -e '^ibm,gpu$' -e "
                    + "'^ibm,nvlink' -e '^ibm,device-tgt-addr$' -e '^memory-region$' || true", COMMAND);
            assertThat(nvlinkProperties.strip()).as("no NVLink2 properties on the PCI nodes of " + dir).isEmpty();
            assertThat(words(shell.run("ls " + dir, COMMAND))).as("the GPU itself still passes through")
                    .anyMatch(name -> name.startsWith("3d-controller@"));
        }
    }

    // ---- REST -------------------------------------------------------------------------------------------------

    private static String definition(String name, String machine) {
        return """
                {"name":"%s","machine":"%s","vcpus":1,"memoryMiB":1024,
                 "boot":{"kernel":"%%s","initrd":"%%s","cmdline":"console=hvc0"},
                 "phbs":[{"index":%d,"devices":%s},{"index":%d,"devices":%s}]}"""
                .formatted(name, machine, PHB.get(GPU_A), json(GPU_A, BRIDGES_A), PHB.get(GPU_B),
                        json(GPU_B, BRIDGES_B));
    }

    private static String json(String gpu, List<String> bridges) {
        List<String> all = new ArrayList<>(List.of(gpu));
        all.addAll(bridges);
        return all.stream().map(a -> "\"" + a + "\"").toList().toString();
    }

    private String create(String definition) throws Exception {
        return post("/api/v1/vms", definition, 201).get("id").asString();
    }

    /** POSTs (a definition with its kernel and initrd filled in), expecting one of {@code accepted}. */
    private JsonNode post(String path, String body, Integer... accepted) throws Exception {
        RestApi.Response response = body == null ? api.post(path)
                : api.post(path, body.formatted(guest.vmlinux(), guest.initrd()));
        assertThat(response.status()).as("POST %s: %s", path, response.body()).isIn((Object[]) accepted);
        return response.json();
    }

    /** The VM view's GPUs, checked against placement's layout of the same definition. */
    private List<GpuView> gpusOf(JsonNode vm, JsonNode layout) {
        JsonNode gpus = vm.get("gpus");
        assertThat(gpus).as("the REST view shows both GPUs: %s", vm).hasSize(2);
        List<GpuView> views = new ArrayList<>();
        for (JsonNode gpu : gpus) {
            String address = gpu.get("hostAddress").asString();
            int phb = gpu.get("phbIndex").asInt();
            assertThat(phb).isEqualTo(PHB.get(address));
            JsonNode slot = layoutPhb(layout, phb).get("gpuSlots").get(0);
            assertThat(slot.get("gpuAddress").asString()).isEqualTo(address);
            assertThat(hex(slot.get("tgt"))).as("the host's tgt").isEqualTo(nvlink2(address).getTgt());
            // Spec 3.1: the GPU RAM window of PHB n is at 64 TiB + n * 2 TiB; the first GPU slot starts it.
            long ram = hex(gpu.get("ramAddress"));
            assertThat(ram).isEqualTo(0x400000000000L + phb * 0x20000000000L).isEqualTo(hex(slot.get("ram").get("base")));
            assertThat(gpu.get("numaNode").asInt()).as("GPU NUMA ids follow the one implicit node (spec 4.5)")
                    .isEqualTo(phb).isEqualTo(slot.get("numaId").asInt());
            List<String> bridges = address.equals(GPU_A) ? BRIDGES_A : BRIDGES_B;
            List<LinkView> links = new ArrayList<>();
            for (int j = 0; j < gpu.get("links").size(); j++) {
                JsonNode link = gpu.get("links").get(j);
                assertThat(link.get("bridgeAddress").asString()).isEqualTo(bridges.get(j));
                // Spec 3.1: the ATSD window of PHB n is at 128 TiB + n * 1152 KiB, one 64 KiB page per bridge.
                long atsd = hex(link.get("atsdAddress"));
                assertThat(atsd).isEqualTo(0x800000000000L + phb * 0x120000L + j * 0x10000L)
                        .isEqualTo(hex(slot.get("links").get(j).get("atsdGpa")));
                links.add(new LinkView(bridges.get(j), atsd));
            }
            assertThat(links).hasSize(bridges.size());
            List<Long> associativity = StreamSupport.stream(slot.get("associativity").spliterator(), false)
                    .map(JsonNode::asLong).toList();
            views.add(new GpuView(address, phb, ram, hex(gpu.get("ramSize")), gpu.get("numaNode").asInt(),
                    hex(slot.get("tgt")), associativity, links));
        }
        return views;
    }

    private static JsonNode layoutPhb(JsonNode layout, int index) {
        return StreamSupport.stream(layout.get("phbs").spliterator(), false)
                .filter(p -> p.get("index").asInt() == index)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no PHB " + index + " in " + layout));
    }

    /** Who holds each of the VMs' devices, as the REST host view says ("" when free). */
    private List<String> holders() throws Exception {
        JsonNode all = api.get("/api/v1/host/devices").json().get("devices");
        return ALL_DEVICES.stream().map(address -> StreamSupport.stream(all.spliterator(), false)
                        .filter(d -> d.get("address").asString().equals(address))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("host has no " + address)))
                .map(d -> d.has("reservedBy") ? d.get("reservedBy").asString() : "")
                .toList();
    }

    private String state(String id) throws Exception {
        return api.vmState(id);
    }

    private String diagnostics(String id) {
        return api.vmDiagnostics(id, platform::gatewayLog);
    }

    // ---- device-service and the simulated host's files ---------------------------------------------------------

    private Device device(String address) {
        return devices.withDeadlineAfter(20, TimeUnit.SECONDS)
                .getDevice(GetDeviceRequest.newBuilder().setAddress(address).build());
    }

    /** Where device-service keeps the device's simulated region (GPU RAM or ATSD page). */
    private NvLink2Info nvlink2(String address) {
        NvLink2Info info = device(address).getPci().getNvlink2();
        assertThat(info.getBackingPath()).as("backing file of " + address).isNotEmpty();
        return info;
    }

    private static long readLong(NvLink2Info region, long offset) throws IOException {
        try (FileChannel file = FileChannel.open(Path.of(region.getBackingPath()), StandardOpenOption.READ)) {
            ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            file.read(bytes, region.getBackingOffset() + offset);
            return bytes.flip().getLong();
        }
    }

    private static void writeLong(NvLink2Info region, long offset, long value) throws IOException {
        try (FileChannel file = FileChannel.open(Path.of(region.getBackingPath()), StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).flip(),
                    region.getBackingOffset() + offset);
        }
    }

    // ---- parsing ------------------------------------------------------------------------------------------------

    /** A device-tree property's bytes as one hex string (busybox hexdump). */
    private static String property(GuestShell shell, String path) {
        return shell.run("hexdump -v -e '1/1 \"%02x\"' " + path + "; echo", COMMAND).strip();
    }

    private static List<Long> u64s(String hex) {
        return cells(hex, 16);
    }

    private static List<Long> u32s(String hex) {
        return cells(hex, 8);
    }

    /** Big-endian cells of {@code digits} hex digits each (device-tree properties are big-endian, spec 5.1). */
    private static List<Long> cells(String hex, int digits) {
        assertThat(hex.length() % digits).as("property of whole cells: " + hex).isZero();
        List<Long> cells = new ArrayList<>();
        for (int i = 0; i < hex.length(); i += digits) {
            cells.add(Long.parseUnsignedLong(hex.substring(i, i + digits), 16));
        }
        return cells;
    }

    private static List<Long> hexes(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(NvLink2GpuVmIT::hex).toList();
    }

    private static long hex(JsonNode value) {
        return Long.parseUnsignedLong(value.asString().replaceFirst("^0x", ""), 16);
    }

    private static List<String> words(String output) {
        return Arrays.stream(output.split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    private record LinkView(String bridge, long atsd) {}

    private record GpuView(String address, int phb, long ram, long ramSize, int numaNode, long tgt,
            List<Long> associativity, List<LinkView> links) {}
}
