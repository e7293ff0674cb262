package dev.pvm.device.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.pvm.device.catalog.DeviceCatalog;
import dev.pvm.device.reservation.ReservationBook;
import dev.pvm.device.reservation.ReservationSnapshotFile;
import dev.pvm.device.simulated.SimulatedHostLayout;
import dev.pvm.device.simulated.SimulatedNpu;
import dev.pvm.device.simulated.TestHosts;
import dev.pvm.device.host.HostInventory;
import dev.pvm.proto.common.v1.DeviceKind;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.proto.device.v1.Device;
import dev.pvm.proto.device.v1.DeviceEvent;
import dev.pvm.proto.device.v1.DeviceServiceGrpc;
import dev.pvm.proto.device.v1.GetDeviceRequest;
import dev.pvm.proto.device.v1.ListDevicesRequest;
import dev.pvm.proto.device.v1.ListDevicesResponse;
import dev.pvm.proto.device.v1.ReleaseRequest;
import dev.pvm.proto.device.v1.ReserveRequest;
import dev.pvm.proto.device.v1.WatchDevicesRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeviceService over an in-process channel, on the small simulated host. */
class DeviceGrpcServiceTest {
  @TempDir Path dir;
  private Server server;
  private ManagedChannel channel;
  private SimulatedNpu npu;
  private SimulatedHostLayout layout;
  private DeviceServiceGrpc.DeviceServiceBlockingStub stub;

  @BeforeEach
  void start() throws Exception {
    layout = TestHosts.write("small-1gpu", dir);
    HostInventory inventory = TestHosts.discoverWithVfio(layout);
    npu = new SimulatedNpu(layout);
    DeviceCatalog catalog = new DeviceCatalog(
        inventory, new ReservationBook(inventory, new ReservationSnapshotFile(dir.resolve("state"))), npu);
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new DeviceGrpcService(catalog)).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = DeviceServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    npu.close();
  }

  @Test
  void listsGpusAndBridgesWithNvLink2Details() {
    ListDevicesResponse list = stub.listDevices(ListDevicesRequest.getDefaultInstance());
    assertThat(list.getHostSource()).isEqualTo("simulated:small-1gpu");
    assertThat(list.getDevicesList()).extracting(d -> d.getPci().getAddress())
        .containsExactly("0000:01:00.0", "0004:00:00.0", "0004:04:00.0", "0007:00:00.0", "0007:00:00.1");
    HostPciDevice gpu = list.getDevices(2).getPci();
    assertThat(gpu.getKind()).isEqualTo(DeviceKind.DEVICE_KIND_NVLINK2_GPU);
    assertThat(gpu.getNvlink2().getTgt()).isEqualTo(0xc0000000000L);
    assertThat(gpu.getNvlink2().getGpuRamSize()).isEqualTo(1L << 30);
    assertThat(gpu.getNvlink2().getBackingPath()).endsWith("backing/0004:04:00.0.gpu-ram");
    assertThat(gpu.getIommuGroup()).isZero();
    HostPciDevice bridge = list.getDevices(3).getPci();
    assertThat(bridge.getKind()).isEqualTo(DeviceKind.DEVICE_KIND_NVLINK2_BRIDGE);
    assertThat(bridge.getNvlink2().getLinkSpeed()).isEqualTo(9);
    assertThat(bridge.getNvlink2().getAtsdSize()).isEqualTo(0x10000);
    assertThat(bridge.getMultifunction()).isTrue();
    assertThat(list.getDevices(1).getPci().getKind()).isEqualTo(DeviceKind.DEVICE_KIND_PCI_BRIDGE);
    assertThat(list.getDevices(1).getPci().getIommuGroup()).isEqualTo(-1);
  }

  @Test
  void getDeviceAnswersNotFoundAndInvalidArgumentWithDetails() throws Exception {
    assertThat(stub.getDevice(GetDeviceRequest.newBuilder().setAddress("0004:04:00.0").build())
        .getPci().getDeviceId()).isEqualTo(0x1db1);

    StatusRuntimeException notFound = catchStatus(
        () -> stub.getDevice(GetDeviceRequest.newBuilder().setAddress("0009:00:00.0").build()));
    assertThat(notFound.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    ErrorInfo info = errorInfo(notFound);
    assertThat(info.getDomain()).isEqualTo("pvm.dev");
    assertThat(info.getReason()).isEqualTo("NOT_FOUND");
    assertThat(info.getMetadataMap()).containsEntry("field", "address");

    StatusRuntimeException malformed = catchStatus(
        () -> stub.getDevice(GetDeviceRequest.newBuilder().setAddress("04:00.0").build()));
    assertThat(malformed.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(errorInfo(malformed).getReason()).isEqualTo("INVALID_FIELD");
    BadRequest badRequest = StatusProto.fromThrowable(malformed).getDetails(1).unpack(BadRequest.class);
    assertThat(badRequest.getFieldViolations(0).getField()).isEqualTo("address");
  }

  @Test
  void reserveTakesTheGroupConflictsNameTheHolderAndReleaseFrees() throws Exception {
    var reserved = stub.reserve(ReserveRequest.newBuilder().setVmId("vm-1").addAddresses("0004:04:00.0").build());
    assertThat(reserved.getDevicesList()).extracting(HostPciDevice::getAddress)
        .containsExactly("0004:04:00.0", "0007:00:00.0", "0007:00:00.1");
    // Idempotent.
    stub.reserve(ReserveRequest.newBuilder().setVmId("vm-1").addAddresses("0004:04:00.0").build());

    StatusRuntimeException conflict = catchStatus(() -> stub.reserve(
        ReserveRequest.newBuilder().setVmId("vm-2").addAddresses("0007:00:00.1").build()));
    assertThat(conflict.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(conflict.getStatus().getDescription()).contains("vm-1").contains("IOMMU group 0");
    assertThat(errorInfo(conflict).getReason()).isEqualTo("CONFLICT");
    assertThat(errorInfo(conflict).getMetadataMap()).containsEntry("holder", "vm-1")
        .containsEntry("iommu_group", "0");

    StatusRuntimeException badAddress = catchStatus(() -> stub.reserve(
        ReserveRequest.newBuilder().setVmId("vm-2").addAddresses("0000:01:00.0").addAddresses("zz").build()));
    assertThat(badAddress.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(errorInfo(badAddress).getMetadataMap()).containsEntry("field", "addresses[1]");

    assertThat(stub.getDevice(GetDeviceRequest.newBuilder().setAddress("0007:00:00.1").build()).getReservedBy())
        .isEqualTo("vm-1");
    assertThat(stub.release(ReleaseRequest.newBuilder().setVmId("vm-1").build()).getReleasedList())
        .containsExactly("0004:04:00.0", "0007:00:00.0", "0007:00:00.1");
    assertThat(stub.release(ReleaseRequest.newBuilder().setVmId("vm-1").build()).getReleasedList()).isEmpty();
    assertThat(stub.getDevice(GetDeviceRequest.newBuilder().setAddress("0007:00:00.1").build()).getReservedBy())
        .isEmpty();
  }

  @Test
  void watchSendsTheSnapshotThenChanges() throws Exception {
    BlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
    DeviceServiceGrpc.newStub(channel).watchDevices(WatchDevicesRequest.getDefaultInstance(),
        new StreamObserver<>() {
          public void onNext(DeviceEvent e) {
            events.add(e);
          }

          public void onError(Throwable t) {}

          public void onCompleted() {}
        });
    for (int i = 0; i < 5; i++) {
      assertThat(events.poll(10, TimeUnit.SECONDS).getKind()).isEqualTo(DeviceEvent.Kind.KIND_EXISTING);
    }
    stub.reserve(ReserveRequest.newBuilder().setVmId("vm-9").addAddresses("0000:01:00.0").build());
    DeviceEvent reserved = events.poll(10, TimeUnit.SECONDS);
    assertThat(reserved.getKind()).isEqualTo(DeviceEvent.Kind.KIND_RESERVED);
    assertThat(reserved.getDevice().getReservedBy()).isEqualTo("vm-9");
    stub.release(ReleaseRequest.newBuilder().setVmId("vm-9").build());
    DeviceEvent released = events.poll(10, TimeUnit.SECONDS);
    assertThat(released.getKind()).isEqualTo(DeviceEvent.Kind.KIND_RELEASED);
    assertThat(released.getDevice().getPci().getAddress()).isEqualTo("0000:01:00.0");
  }

  @Test
  void writesToTheAtsdLaunchRegisterAreCounted() throws Exception {
    Device bridge = stub.getDevice(GetDeviceRequest.newBuilder().setAddress("0007:00:00.0").build());
    assertThat(bridge.getAtsdLaunches()).isZero();
    // An engine maps the backing file named in the API, as a guest mapping would.
    Path page = Path.of(bridge.getPci().getNvlink2().getBackingPath());
    try (Arena arena = Arena.ofConfined();
        FileChannel ch = FileChannel.open(page, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      MemorySegment atsd = ch.map(FileChannel.MapMode.READ_WRITE, 0, 0x10000, arena);
      atsd.set(ValueLayout.JAVA_LONG, SimulatedNpu.LAUNCH, 0x8000_0000_0000_0001L);
      assertThat(npu.poll()).isEqualTo(1);
      assertThat(atsd.get(ValueLayout.JAVA_LONG, SimulatedNpu.LAUNCH)).isZero(); // consumed
      atsd.set(ValueLayout.JAVA_LONG, SimulatedNpu.LAUNCH, 7);
      npu.poll();
      assertThat(npu.poll()).isZero(); // nothing new
    }
    assertThat(stub.getDevice(GetDeviceRequest.newBuilder().setAddress("0007:00:00.0").build()).getAtsdLaunches())
        .isEqualTo(2);
    assertThat(stub.getDevice(GetDeviceRequest.newBuilder().setAddress("0007:00:00.1").build()).getAtsdLaunches())
        .isZero();
  }

  private static StatusRuntimeException catchStatus(Runnable call) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(call::run);
    assertThat(t).isInstanceOf(StatusRuntimeException.class);
    return (StatusRuntimeException) t;
  }

  private static ErrorInfo errorInfo(StatusRuntimeException e) throws Exception {
    return StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorInfo.class);
  }
}
