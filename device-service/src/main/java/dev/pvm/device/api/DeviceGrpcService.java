package dev.pvm.device.api;

import dev.pvm.device.DeviceServiceException;
import dev.pvm.device.catalog.DeviceCatalog;
import dev.pvm.device.host.PciAddress;
import dev.pvm.proto.device.v1.Device;
import dev.pvm.proto.device.v1.DeviceEvent;
import dev.pvm.proto.device.v1.DeviceServiceGrpc;
import dev.pvm.proto.device.v1.GetDeviceRequest;
import dev.pvm.proto.device.v1.ListDevicesRequest;
import dev.pvm.proto.device.v1.ListDevicesResponse;
import dev.pvm.proto.device.v1.ReleaseRequest;
import dev.pvm.proto.device.v1.ReleaseResponse;
import dev.pvm.proto.device.v1.ReserveRequest;
import dev.pvm.proto.device.v1.ReserveResponse;
import dev.pvm.proto.device.v1.WatchDevicesRequest;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** pvm.device.v1.DeviceService over the {@link DeviceCatalog}: request parsing, mapping, status conversion. */
public final class DeviceGrpcService extends DeviceServiceGrpc.DeviceServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(DeviceGrpcService.class);

  private final DeviceCatalog catalog;

  public DeviceGrpcService(DeviceCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public void listDevices(ListDevicesRequest request, StreamObserver<ListDevicesResponse> response) {
    answer(response, () -> ListDevicesResponse.newBuilder()
        .addAllDevices(catalog.list().stream().map(DeviceProtoMapper::device).toList())
        .setHostSource(catalog.source())
        .build());
  }

  @Override
  public void getDevice(GetDeviceRequest request, StreamObserver<Device> response) {
    answer(response, () -> DeviceProtoMapper.device(
        catalog.get(PciAddress.parse(request.getAddress(), "address"), "address")));
  }

  @Override
  public void reserve(ReserveRequest request, StreamObserver<ReserveResponse> response) {
    answer(response, () -> {
      List<PciAddress> addresses = new ArrayList<>();
      for (int i = 0; i < request.getAddressesCount(); i++) {
        addresses.add(PciAddress.parse(request.getAddresses(i), "addresses[" + i + "]"));
      }
      ReserveResponse reply = ReserveResponse.newBuilder()
          .addAllDevices(catalog.reserve(request.getVmId(), addresses).stream()
              .map(DeviceProtoMapper::hostPciDevice).toList())
          .build();
      log.info("reserved {} for VM {}", reply.getDevicesList().stream().map(d -> d.getAddress()).toList(),
          request.getVmId());
      return reply;
    });
  }

  @Override
  public void release(ReleaseRequest request, StreamObserver<ReleaseResponse> response) {
    answer(response, () -> {
      List<String> released = catalog.release(request.getVmId()).stream().map(PciAddress::toString).toList();
      if (!released.isEmpty()) {
        log.info("released {} held by VM {}", released, request.getVmId());
      }
      return ReleaseResponse.newBuilder().addAllReleased(released).build();
    });
  }

  @Override
  public void watchDevices(WatchDevicesRequest request, StreamObserver<DeviceEvent> response) {
    ServerCallStreamObserver<DeviceEvent> stream = (ServerCallStreamObserver<DeviceEvent>) response;
    // Changes arrive on the threads that commit them while the snapshot is sent here: serialise onNext.
    Object sendLock = new Object();
    AtomicReference<AutoCloseable> watch = new AtomicReference<>();
    stream.setOnCancelHandler(() -> close(watch.get()));
    try {
      watch.set(catalog.watch(change -> {
        synchronized (sendLock) {
          if (!stream.isCancelled()) {
            stream.onNext(DeviceProtoMapper.event(change));
          }
        }
      }));
      if (stream.isCancelled()) {
        close(watch.get());
      }
    } catch (DeviceServiceException e) {
      response.onError(GrpcErrorMapper.toStatus(e));
    }
  }

  private static void close(AutoCloseable watch) {
    if (watch == null) {
      return;
    }
    try {
      watch.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing a device watch failed", e);
    }
  }

  private static <T> void answer(StreamObserver<T> response, Supplier<T> work) {
    T reply;
    try {
      reply = work.get();
    } catch (DeviceServiceException e) {
      response.onError(GrpcErrorMapper.toStatus(e));
      return;
    }
    response.onNext(reply);
    response.onCompleted();
  }
}
