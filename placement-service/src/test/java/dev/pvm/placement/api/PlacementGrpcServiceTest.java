package dev.pvm.placement.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.pvm.placement.machine.MachineTypeCatalog;
import dev.pvm.proto.common.v1.DeviceKind;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.proto.common.v1.NumaNodeSpec;
import dev.pvm.proto.common.v1.NvLink2Info;
import dev.pvm.proto.common.v1.PhbSpec;
import dev.pvm.proto.common.v1.VmSpec;
import dev.pvm.proto.placement.v1.ComputeLayoutRequest;
import dev.pvm.proto.placement.v1.ComputePhbWindowsRequest;
import dev.pvm.proto.placement.v1.GuestLayout;
import dev.pvm.proto.placement.v1.ListMachineTypesRequest;
import dev.pvm.proto.placement.v1.MachineType;
import dev.pvm.proto.placement.v1.PhbLayout;
import dev.pvm.proto.placement.v1.PhbPlacementScheme;
import dev.pvm.proto.placement.v1.PlacedDeviceRole;
import dev.pvm.proto.placement.v1.PlacementServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The gRPC API over an in-process channel, good input and every kind of bad input. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlacementGrpcServiceTest {

  private Server server;
  private ManagedChannel channel;
  private PlacementServiceGrpc.PlacementServiceBlockingStub stub;

  @BeforeAll
  void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new PlacementGrpcService(MachineTypeCatalog.standard()))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = PlacementServiceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  static HostPciDevice gpu(String address, long tgt, int devfn) {
    return HostPciDevice.newBuilder()
        .setAddress(address).setVendorId(0x10de).setDeviceId(0x1db1).setIommuGroup(7)
        .setKind(DeviceKind.DEVICE_KIND_NVLINK2_GPU)
        .setNvlink2(NvLink2Info.newBuilder().setTgt(tgt).setGpuRamSize(0x2000000000L))
        .setGuestDevfn(devfn).build();
  }

  static HostPciDevice bridge(String address, long tgt, int devfn) {
    return HostPciDevice.newBuilder()
        .setAddress(address).setVendorId(0x1014).setDeviceId(0x04ea).setIommuGroup(7)
        .setKind(DeviceKind.DEVICE_KIND_NVLINK2_BRIDGE)
        .setNvlink2(NvLink2Info.newBuilder().setTgt(tgt).setAtsdSize(0x10000).setLinkSpeed(9))
        .setGuestDevfn(devfn).build();
  }

  /** Spec section 13's vPHB 1 (devfn 0 is given explicitly through the other devices' devfns). */
  static ComputeLayoutRequest section13(String machine) {
    return ComputeLayoutRequest.newBuilder()
        .setSpec(
            VmSpec.newBuilder().setName("gpu1").setMachine(machine).setVcpus(2).setMemoryMib(4096)
                .addPhbs(PhbSpec.newBuilder().setIndex(1)
                    .addDevices("0007:00:00.0").addDevices("0007:00:00.1").addDevices("0007:00:01.0")
                    .addDevices("0007:00:01.1").addDevices("0004:04:00.0").addDevices("0004:05:00.0")))
        .addDevices(bridge("0007:00:00.0", 0x400, 0x00))
        .addDevices(bridge("0007:00:00.1", 0x400, 0x01))
        .addDevices(bridge("0007:00:01.0", 0x420, 0x02))
        .addDevices(bridge("0007:00:01.1", 0x420, 0x03))
        .addDevices(gpu("0004:04:00.0", 0x400, 0x08))
        .addDevices(gpu("0004:05:00.0", 0x420, 0x10))
        .build();
  }

  @Test
  void computesTheSection13Layout() {
    GuestLayout layout = stub.computeLayout(section13("pseries-4.1")).getLayout();
    assertThat(layout.getMachine()).isEqualTo("pseries-4.1");
    assertThat(layout.getPhbsList()).extracting(PhbLayout::getIndex).containsExactly(0, 1);
    PhbLayout phb = layout.getPhbs(1);
    assertThat(phb.getBuid()).isEqualTo(0x800000020000001L);
    assertThat(phb.getLiobnsList()).containsExactly(0x80000100, 0x80000101);
    assertThat(phb.getNv2Ram().getBase()).isEqualTo(0x420000000000L);
    assertThat(phb.getMmioAtsdAdvertised()).isTrue();
    assertThat(phb.getMmioAtsdList()).containsExactly(0x800000120000L, 0x800000130000L, 0x800000140000L, 0x800000150000L);
    assertThat(phb.getEehCapable()).isTrue();
    assertThat(phb.getGpuSlotsCount()).isEqualTo(2);
    assertThat(phb.getGpuSlots(1).getNpuPhandlesList()).containsExactly(0x12010002, 0x12010003);
    assertThat(phb.getGpuSlots(1).getRam().getBase()).isEqualTo(0x422000000000L);
    assertThat(phb.getGpuSlots(1).getAssociativity().getCellsList()).containsExactly(4, 1, 1, 1, 2);
    assertThat(phb.getGpuSlots(0).getLinks(1).getLinkPhandle()).isEqualTo(0x00130101);
    assertThat(phb.getGpuSlots(0).getLinks(1).getAtsdSize()).isEqualTo(0x10000);
    assertThat(phb.getDevicesList()).extracting(d -> d.getRole())
        .containsExactly(
            PlacedDeviceRole.PLACED_DEVICE_ROLE_NVLINK2_BRIDGE, PlacedDeviceRole.PLACED_DEVICE_ROLE_NVLINK2_BRIDGE,
            PlacedDeviceRole.PLACED_DEVICE_ROLE_NVLINK2_BRIDGE, PlacedDeviceRole.PLACED_DEVICE_ROLE_NVLINK2_BRIDGE,
            PlacedDeviceRole.PLACED_DEVICE_ROLE_NVLINK2_GPU, PlacedDeviceRole.PLACED_DEVICE_ROLE_NVLINK2_GPU);
    assertThat(layout.getAssociativityReferencePointsList()).containsExactly(4, 4);
    assertThat(layout.getMaxAssociativityDomainsList()).containsExactly(4, 1, 1, 1, 3);
    assertThat(layout.getVcpuIdsList()).containsExactly(0, 8);
    assertThat(layout.getCpuAssociativity(1).getCellsList()).containsExactly(5, 0, 0, 0, 0, 8);
    assertThat(layout.getNumaNodes(0).getRam().getSize()).isEqualTo(4096L << 20);
  }

  @Test
  void listsMachineTypesWithLimitsAndFlags() {
    var types = stub.listMachineTypes(ListMachineTypesRequest.getDefaultInstance()).getMachineTypesList();
    assertThat(types).extracting(MachineType::getName).startsWith("pseries-2.7").endsWith("pseries-8.1");
    MachineType newest = types.get(types.size() - 1);
    assertThat(newest.getAliasesList()).containsExactly("pseries");
    assertThat(newest.getNvlink2()).isTrue();
    assertThat(newest.getMaxPhbIndex()).isEqualTo(30);
    assertThat(newest.getMaxVcpus()).isEqualTo(4096);
    MachineType legacy = types.get(0);
    assertThat(legacy.getMaxPhbIndex()).isEqualTo(255);
    assertThat(legacy.getPhbPlacement()).isEqualTo(PhbPlacementScheme.PHB_PLACEMENT_SCHEME_LEGACY_2_7);
    assertThat(types.stream().filter(t -> t.getName().equals("pseries-4.0")).findFirst().orElseThrow().getNvlink2())
        .isFalse();
  }

  @Test
  void computesTheWindowsOfOneIndex() {
    PhbLayout phb =
        stub.computePhbWindows(ComputePhbWindowsRequest.newBuilder().setMachine("pseries").setIndex(30).build())
            .getPhb();
    assertThat(phb.getBuid()).isEqualTo(0x80000002000001eL);
    assertThat(phb.getMmio32().getBase()).isEqualTo(0x200f80000000L);
    assertThat(phb.getNv2Atsd().getBase()).isEqualTo(0x8000021c0000L);
    PhbLayout legacy =
        stub.computePhbWindows(
                ComputePhbWindowsRequest.newBuilder().setMachine("pseries-2.7").setIndex(1).setMemoryMib(4096).build())
            .getPhb();
    assertThat(legacy.getPio().getBase()).isEqualTo(0x11080000000L);
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        bad("unknown machine", r -> r.setSpec(r.getSpec().toBuilder().setMachine("pseries-9.9")), "machine",
            "unknown machine type \"pseries-9.9\"; known types: pseries-2.7"),
        bad("no vCPU", r -> r.setSpec(r.getSpec().toBuilder().setVcpus(0)), "vcpus", "takes 1..1024 vCPUs"),
        bad("too many vCPUs", r -> r.setSpec(r.getSpec().toBuilder().setVcpus(1025)), "vcpus", "not 1025"),
        bad("memory not a block multiple", r -> r.setSpec(r.getSpec().toBuilder().setMemoryMib(1000)), "memoryMib",
            "positive multiple of 256 MiB"),
        bad("PHB index too large", r -> r.setSpec(r.getSpec().toBuilder().setPhbs(0, r.getSpec().getPhbs(0)
            .toBuilder().setIndex(31))), "phbs[0].index", "\"index\" for PAPR PHB is too large (max 30)"),
        bad("duplicate PHB index", r -> r.setSpec(r.getSpec().toBuilder().addPhbs(PhbSpec.newBuilder().setIndex(1))),
            "phbs[1].index", "PHB index 1 is already used by phbs[0]"),
        bad("undescribed device", r -> r.setSpec(r.getSpec().toBuilder().addPhbs(
            PhbSpec.newBuilder().setIndex(2).addDevices("0001:01:00.0"))), "phbs[1].devices[0]",
            "host device 0001:01:00.0 is not described in devices"),
        bad("device without IOMMU group", r -> r.setDevices(4, r.getDevices(4).toBuilder().setIommuGroup(-1)),
            "devices[4].iommuGroup", "is in no IOMMU group"),
        bad("NUMA CPUs overlapping", r -> r.setSpec(r.getSpec().toBuilder()
                .addNuma(NumaNodeSpec.newBuilder().addCpus(0).addCpus(1).setMemoryMib(2048))
                .addNuma(NumaNodeSpec.newBuilder().addCpus(1).setMemoryMib(2048))),
            "numa[1].cpus", "vCPU 1 is already in numa[0]"),
        bad("NUMA CPU missing", r -> r.setSpec(r.getSpec().toBuilder()
                .addNuma(NumaNodeSpec.newBuilder().addCpus(0).setMemoryMib(2048))
                .addNuma(NumaNodeSpec.newBuilder().setMemoryMib(2048))),
            "numa", "vCPU 1 is in no NUMA node"),
        bad("NUMA memory not adding up", r -> r.setSpec(r.getSpec().toBuilder()
                .addNuma(NumaNodeSpec.newBuilder().addCpus(0).setMemoryMib(1024))
                .addNuma(NumaNodeSpec.newBuilder().addCpus(1).setMemoryMib(1024))),
            "memoryMib", "adds up to 2048 MiB, but memoryMib is 4096 MiB"),
        bad("too many bridges per GPU", r -> r
                .addDevices(bridge("0007:00:02.0", 0x400, 0x04))
                .addDevices(bridge("0007:00:02.1", 0x400, 0x05))
                .setSpec(r.getSpec().toBuilder().setPhbs(0, r.getSpec().getPhbs(0).toBuilder()
                    .addDevices("0007:00:02.0").addDevices("0007:00:02.1"))),
            "phbs[0].devices[7]", "Found too many NVLink bridges per GPU"),
        bad("device on two PHBs", r -> r.setSpec(r.getSpec().toBuilder().addPhbs(
                PhbSpec.newBuilder().setIndex(2).addDevices("0004:04:00.0"))),
            "phbs[1].devices[0]", "is already passed through at phbs[0].devices[4]"),
        bad("guest devfn taken twice", r -> r.setDevices(5, r.getDevices(5).toBuilder().setGuestDevfn(0x08)),
            "phbs[0].devices[5]", "guest address 01.0 is already taken by 0004:04:00.0"));
  }

  private static Arguments bad(
      String name, UnaryOperator<ComputeLayoutRequest.Builder> change, String field, String messagePart) {
    return Arguments.of(name, change.apply(section13("pseries-4.1").toBuilder()).build(), field, messagePart);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void answersBadInputWithInvalidArgumentNamingTheField(
      String name, ComputeLayoutRequest request, String field, String messagePart) throws Exception {
    StatusRuntimeException error =
        catchThrowableOfType(StatusRuntimeException.class, () -> stub.computeLayout(request));
    assertThat(error).as(name).isNotNull();
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    assertThat(status).isNotNull();
    assertThat(status.getMessage()).startsWith(field + ": ").contains(messagePart);
    ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
    assertThat(info.getDomain()).isEqualTo("pvm.dev");
    assertThat(info.getReason()).isEqualTo("INVALID_FIELD");
    assertThat(info.getMetadataMap()).containsEntry("field", field);
    BadRequest badRequest = status.getDetails(1).unpack(BadRequest.class);
    assertThat(badRequest.getFieldViolations(0).getField()).isEqualTo(field);
    assertThat(badRequest.getFieldViolations(0).getDescription()).contains(messagePart);
  }

  @Test
  void unknownMachineTypeListsTheKnownOnesInTheErrorInfo() throws Exception {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> stub.listMachineTypes(ListMachineTypesRequest.getDefaultInstance()).getMachineTypesList().stream()
                .findFirst()
                .map(t -> stub.computePhbWindows(
                    ComputePhbWindowsRequest.newBuilder().setMachine("virt").build()))
                .orElseThrow());
    ErrorInfo info = StatusProto.fromThrowable(error).getDetails(0).unpack(ErrorInfo.class);
    assertThat(info.getMetadataMap()).containsEntry("field", "machine");
    assertThat(info.getMetadataMap().get("known")).startsWith("pseries-2.7,").endsWith(",pseries-8.1,pseries");
  }

  @Test
  void phbWindowsIndexErrorNamesTheIndexField() {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> stub.computePhbWindows(
                ComputePhbWindowsRequest.newBuilder().setMachine("pseries-4.1").setIndex(-1).build()));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(StatusProto.fromThrowable(error).getMessage())
        .isEqualTo("index: \"index\" for PAPR PHB is too large (max 30)");
  }
}
