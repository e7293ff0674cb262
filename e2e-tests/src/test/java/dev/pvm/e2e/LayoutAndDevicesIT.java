package dev.pvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import dev.pvm.proto.common.v1.BootSpec;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.proto.common.v1.PhbSpec;
import dev.pvm.proto.common.v1.VmSpec;
import dev.pvm.proto.device.v1.DeviceServiceGrpc;
import dev.pvm.proto.device.v1.GetDeviceRequest;
import dev.pvm.proto.device.v1.ListDevicesRequest;
import dev.pvm.proto.device.v1.ReleaseRequest;
import dev.pvm.proto.device.v1.ReserveRequest;
import dev.pvm.proto.placement.v1.ComputeLayoutRequest;
import dev.pvm.proto.placement.v1.ComputePhbWindowsRequest;
import dev.pvm.proto.placement.v1.GuestLayout;
import dev.pvm.proto.placement.v1.ListMachineTypesRequest;
import dev.pvm.proto.placement.v1.PhbLayout;
import dev.pvm.proto.placement.v1.PlacementServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * placement-service and device-service end to end: through the gateway's REST API and through their own gRPC
 * APIs, on the default simulated host (an AC922 with four V100 GPUs, three NVLink2 bridges each).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayoutAndDevicesIT {
  private static final String GPU = "0004:04:00.0";
  private static final List<String> GPU_BRIDGES = List.of("0007:00:00.0", "0007:00:00.1", "0007:00:00.2");

  private Platform platform;
  private RestApi api;
  private ManagedChannel placementChannel;
  private ManagedChannel deviceChannel;

  @BeforeAll
  void startPlatform() throws Exception {
    platform = new Platform("layouts").start();
    api = new RestApi(platform::gatewayUri);
    placementChannel = NettyChannelBuilder.forAddress("127.0.0.1", platform.placementGrpcPort).usePlaintext().build();
    deviceChannel = NettyChannelBuilder.forAddress("127.0.0.1", platform.deviceGrpcPort).usePlaintext().build();
  }

  @AfterAll
  void stopPlatform() throws Exception {
    for (ManagedChannel channel : new ManagedChannel[] {placementChannel, deviceChannel}) {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void hostDevicesListGpusAndNpuBridgesWithTheirNvlink2Details() throws Exception {
    RestApi.Response response = api.get("/api/v1/host/devices");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode devices = response.json().get("devices");
    JsonNode gpu = find(devices, GPU);
    assertThat(gpu.get("kind").asString()).isEqualTo("NVLINK2_GPU");
    assertThat(gpu.get("iommuGroup").asInt()).isGreaterThanOrEqualTo(0);
    assertThat(gpu.get("nvlink2").get("gpuRamSize").asString()).isEqualTo("0x400000000");
    String tgt = gpu.get("nvlink2").get("tgt").asString();
    assertThat(tgt).startsWith("0x").isNotEqualTo("0x0");
    for (String address : GPU_BRIDGES) {
      JsonNode bridge = find(devices, address);
      assertThat(bridge.get("kind").asString()).isEqualTo("NVLINK2_BRIDGE");
      assertThat(bridge.get("nvlink2").get("tgt").asString()).as("a bridge carries its GPU's tgt").isEqualTo(tgt);
      assertThat(bridge.get("nvlink2").get("linkSpeed").asInt()).isPositive();
      assertThat(bridge.get("iommuGroup").asInt()).isEqualTo(gpu.get("iommuGroup").asInt());
    }
  }

  @Test
  void layoutsPlaceTheGpuRamAndAtsdPagesInThePhbsNvlink2Windows() throws Exception {
    RestApi.Response response = api.post("/api/v1/layouts", """
        {"machine":"pseries-4.1","vcpus":2,"memoryMiB":1024,
         "numa":[{"cpus":[0],"memoryMiB":512},{"cpus":[1],"memoryMiB":512}],
         "boot":{"builtin":"hello"},
         "phbs":[{"index":1,"devices":["%s","%s","%s","%s"]}]}""".formatted(GPU, GPU_BRIDGES.get(0), GPU_BRIDGES.get(1), GPU_BRIDGES.get(2)));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode phb1 = response.json().get("phbs").get(1);
    // Spec section 3: PHB 1 of pseries-4.1 has BUID base+1, MMIO64 at 34 TiB, NVLink2 RAM at 64 TiB + 2 TiB.
    assertThat(phb1.get("buid").asString()).isEqualTo("0x800000020000001");
    assertThat(phb1.get("mmio64").get("base").asString()).isEqualTo("0x220000000000");
    JsonNode slot = phb1.get("gpuSlots").get(0);
    assertThat(slot.get("ram").get("base").asString()).isEqualTo("0x420000000000");
    assertThat(slot.get("numaId").asInt()).as("first GPU node follows the two user nodes").isEqualTo(2);
    assertThat(slot.get("links")).hasSize(3);
    assertThat(phb1.get("mmioAtsdAdvertised").asBoolean()).isTrue();
    assertThat(phb1.get("mmioAtsd")).extracting(JsonNode::asString)
        .containsExactly("0x800000120000", "0x800000130000", "0x800000140000");

    RestApi.Response old = api.post("/api/v1/layouts", """
        {"machine":"pseries-4.0","vcpus":1,"memoryMiB":1024,"boot":{"builtin":"hello"},
         "phbs":[{"index":1,"devices":["%s"]}]}""".formatted(GPU));
    assertThat(old.status()).as(old.body()).isEqualTo(200);
    JsonNode oldPhb1 = old.json().get("phbs").get(1);
    assertThat(oldPhb1.get("nv2Ram").get("size").asString()).as("pseries-4.0 has no NVLink2 windows").isEqualTo("0x0");
    assertThat(oldPhb1.has("gpuSlots") && !oldPhb1.get("gpuSlots").isEmpty()).isFalse();
  }

  @Test
  void layoutsAnswerBadInputWithProblemJsonNamingTheField() throws Exception {
    expectField("""
        {"machine":"pseries-4.1","vcpus":1,"memoryMiB":512,"boot":{"builtin":"hello"},
         "phbs":[{"index":1,"devices":[]},{"index":1,"devices":[]}]}""", "phbs[1].index");
    expectField("""
        {"machine":"pseries-4.1","vcpus":1,"memoryMiB":512,"boot":{"builtin":"hello"},
         "phbs":[{"index":31,"devices":[]}]}""", "phbs[0].index");
    expectField("""
        {"machine":"pseries-4.1","vcpus":2,"memoryMiB":1024,"boot":{"builtin":"hello"},
         "numa":[{"cpus":[0,1],"memoryMiB":512},{"cpus":[1],"memoryMiB":512}]}""", "numa[1].cpus[0]");
    expectField("""
        {"machine":"pseries-4.1","vcpus":2,"memoryMiB":1024,"boot":{"builtin":"hello"},
         "numa":[{"cpus":[0],"memoryMiB":256},{"cpus":[1],"memoryMiB":512}]}""", "numa");
    expectField("""
        {"machine":"pseries-0.1","vcpus":1,"memoryMiB":512,"boot":{"builtin":"hello"}}""", "machine");
    expectField("""
        {"machine":"pseries-4.1","vcpus":1,"memoryMiB":512,"boot":{"builtin":"hello"},
         "phbs":[{"index":1,"devices":["0004:04:00.7"]}]}""", "phbs[0].devices[0]");
  }

  @Test
  void placementGrpcComputesLayoutsAndRejectsBadInputWithErrorInfo() {
    PlacementServiceGrpc.PlacementServiceBlockingStub placement =
        PlacementServiceGrpc.newBlockingStub(placementChannel).withDeadlineAfter(20, TimeUnit.SECONDS);
    assertThat(placement.listMachineTypes(ListMachineTypesRequest.getDefaultInstance()).getMachineTypesList())
        .anySatisfy(type -> assertThat(type.getName()).isEqualTo("pseries-4.1"));

    PhbLayout phb30 = placement.computePhbWindows(
        ComputePhbWindowsRequest.newBuilder().setMachine("pseries-4.1").setIndex(30).build()).getPhb();
    assertThat(phb30.getBuid()).isEqualTo(0x800000020000000L + 30);

    DeviceServiceGrpc.DeviceServiceBlockingStub devices =
        DeviceServiceGrpc.newBlockingStub(deviceChannel).withDeadlineAfter(20, TimeUnit.SECONDS);
    HostPciDevice gpu = devices.getDevice(GetDeviceRequest.newBuilder().setAddress(GPU).build()).getPci();
    VmSpec spec = VmSpec.newBuilder().setName("grpc").setMachine("pseries-5.2").setVcpus(1).setMemoryMib(1024)
        .setBoot(BootSpec.newBuilder().setBuiltin("hello"))
        .addPhbs(PhbSpec.newBuilder().setIndex(2).addDevices(GPU)).build();
    GuestLayout layout = placement.computeLayout(
        ComputeLayoutRequest.newBuilder().setSpec(spec).addDevices(gpu).build()).getLayout();
    PhbLayout phb2 = layout.getPhbsList().stream().filter(p -> p.getIndex() == 2).findFirst().orElseThrow();
    assertThat(phb2.getGpuSlots(0).getRam().getBase()).isEqualTo(0x400000000000L + 2 * 0x20000000000L);

    StatusRuntimeException bad = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
        () -> placement.computeLayout(ComputeLayoutRequest.newBuilder()
            .setSpec(spec.toBuilder().setPhbs(0, PhbSpec.newBuilder().setIndex(99))).build()));
    assertThat(bad.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(errorInfo(bad).getMetadataMap()).containsEntry("field", "phbs[0].index");
  }

  @Test
  void deviceGrpcReservesWholeDevicesForOneVmAtATime() {
    DeviceServiceGrpc.DeviceServiceBlockingStub devices =
        DeviceServiceGrpc.newBlockingStub(deviceChannel).withDeadlineAfter(20, TimeUnit.SECONDS);
    assertThat(devices.listDevices(ListDevicesRequest.getDefaultInstance()).getDevicesList())
        .anySatisfy(d -> assertThat(d.getPci().getAddress()).isEqualTo("0005:04:00.0"));
    ReserveRequest first = ReserveRequest.newBuilder().setVmId("e2e-vm-a").addAddresses("0005:04:00.0").build();
    assertThat(devices.reserve(first).getDevicesList()).isNotEmpty();
    assertThat(devices.reserve(first).getDevicesList()).as("idempotent per VM").isNotEmpty();

    StatusRuntimeException conflict = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
        () -> devices.reserve(ReserveRequest.newBuilder().setVmId("e2e-vm-b").addAddresses("0005:04:00.0").build()));
    assertThat(conflict.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
    assertThat(conflict.getStatus().getDescription()).contains("e2e-vm-a");

    devices.release(ReleaseRequest.newBuilder().setVmId("e2e-vm-a").build());
    assertThat(devices.reserve(ReserveRequest.newBuilder().setVmId("e2e-vm-b").addAddresses("0005:04:00.0").build())
        .getDevicesList()).isNotEmpty();
    devices.release(ReleaseRequest.newBuilder().setVmId("e2e-vm-b").build());
  }

  private void expectField(String body, String field) throws Exception {
    RestApi.Response response = api.post("/api/v1/layouts", body);
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("field")).as(response.body()).isNotNull();
    if (field != null) {
      assertThat(problem.get("field").asString()).isEqualTo(field);
    }
  }

  private static JsonNode find(JsonNode devices, String address) {
    return StreamSupport.stream(devices.spliterator(), false)
        .filter(d -> d.get("address").asString().equals(address))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no device " + address + " in " + devices));
  }

  private static ErrorInfo errorInfo(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    return status.getDetailsList().stream()
        .filter(any -> any.is(ErrorInfo.class))
        .map(any -> {
          try {
            return any.unpack(ErrorInfo.class);
          } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
          }
        })
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ErrorInfo in " + status));
  }
}
