package dev.pvm.device.plugin;

import dev.pvm.device.plugin.v1beta1.AllocateRequest;
import dev.pvm.device.plugin.v1beta1.AllocateResponse;
import dev.pvm.device.plugin.v1beta1.ContainerAllocateRequest;
import dev.pvm.device.plugin.v1beta1.ContainerPreferredAllocationRequest;
import dev.pvm.device.plugin.v1beta1.ContainerPreferredAllocationResponse;
import dev.pvm.device.plugin.v1beta1.Device;
import dev.pvm.device.plugin.v1beta1.DevicePluginGrpc;
import dev.pvm.device.plugin.v1beta1.DevicePluginOptions;
import dev.pvm.device.plugin.v1beta1.Empty;
import dev.pvm.device.plugin.v1beta1.ListAndWatchResponse;
import dev.pvm.device.plugin.v1beta1.PreStartContainerRequest;
import dev.pvm.device.plugin.v1beta1.PreStartContainerResponse;
import dev.pvm.device.plugin.v1beta1.PreferredAllocationRequest;
import dev.pvm.device.plugin.v1beta1.PreferredAllocationResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DevicePlugin service the kubelet calls on the plugin's socket (k8s.io/kubelet deviceplugin v1beta1):
 * ListAndWatch streams the device list, first as it is and then whenever it changes, for as long as the kubelet
 * keeps the call open; the allocation calls are answered by {@link GpuAllocator}.
 */
final class DevicePluginService extends DevicePluginGrpc.DevicePluginImplBase {
  private static final Logger log = LoggerFactory.getLogger(DevicePluginService.class);

  private final GpuAllocator allocator;
  private final Set<ServerCallStreamObserver<ListAndWatchResponse>> watchers = new CopyOnWriteArraySet<>();
  private volatile ListAndWatchResponse devices;

  DevicePluginService(GpuAllocator allocator, List<Device> initialDevices) {
    this.allocator = allocator;
    this.devices = ListAndWatchResponse.newBuilder().addAllDevices(initialDevices).build();
  }

  /** The plugin's options; the kubelet asks for them right after registering and registration carries them. */
  static DevicePluginOptions options() {
    return DevicePluginOptions.newBuilder()
        .setGetPreferredAllocationAvailable(true)
        .setPreStartRequired(false)
        .build();
  }

  /** Sends {@code list} to every open ListAndWatch when it differs from the last one sent. */
  void publish(List<Device> list) {
    ListAndWatchResponse next = ListAndWatchResponse.newBuilder().addAllDevices(list).build();
    synchronized (this) {
      if (next.equals(devices)) {
        return;
      }
      devices = next;
    }
    watchers.forEach(w -> send(w, next));
  }

  ListAndWatchResponse current() {
    return devices;
  }

  /** Ends every open ListAndWatch (the plugin is stopping or re-registering). */
  void closeWatchers() {
    for (ServerCallStreamObserver<ListAndWatchResponse> w : watchers) {
      watchers.remove(w);
      synchronized (w) {
        if (!w.isCancelled()) {
          w.onCompleted();
        }
      }
    }
  }

  @Override
  public void getDevicePluginOptions(Empty request, StreamObserver<DevicePluginOptions> response) {
    response.onNext(options());
    response.onCompleted();
  }

  @Override
  public void listAndWatch(Empty request, StreamObserver<ListAndWatchResponse> response) {
    ServerCallStreamObserver<ListAndWatchResponse> watcher = (ServerCallStreamObserver<ListAndWatchResponse>) response;
    watcher.setOnCancelHandler(() -> watchers.remove(watcher));
    watchers.add(watcher);
    send(watcher, devices);
  }

  @Override
  public void getPreferredAllocation(PreferredAllocationRequest request,
      StreamObserver<PreferredAllocationResponse> response) {
    PreferredAllocationResponse.Builder answer = PreferredAllocationResponse.newBuilder();
    for (ContainerPreferredAllocationRequest c : request.getContainerRequestsList()) {
      answer.addContainerResponses(ContainerPreferredAllocationResponse.newBuilder().addAllDeviceIDs(
          allocator.preferred(c.getAvailableDeviceIDsList(), c.getMustIncludeDeviceIDsList(), c.getAllocationSize())));
    }
    response.onNext(answer.build());
    response.onCompleted();
  }

  @Override
  public void allocate(AllocateRequest request, StreamObserver<AllocateResponse> response) {
    AllocateResponse.Builder answer = AllocateResponse.newBuilder();
    try {
      for (ContainerAllocateRequest c : request.getContainerRequestsList()) {
        answer.addContainerResponses(allocator.allocate(c.getDevicesIdsList()));
      }
    } catch (AllocationRefusedException e) {
      log.warn("refused an allocation: {}", e.getMessage());
      response.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    response.onNext(answer.build());
    response.onCompleted();
  }

  @Override
  public void preStartContainer(PreStartContainerRequest request, StreamObserver<PreStartContainerResponse> response) {
    // Not asked for (options: pre_start_required=false): nothing needs doing between Allocate and the start.
    response.onNext(PreStartContainerResponse.getDefaultInstance());
    response.onCompleted();
  }

  private void send(ServerCallStreamObserver<ListAndWatchResponse> watcher, ListAndWatchResponse list) {
    synchronized (watcher) {
      if (watcher.isCancelled()) {
        watchers.remove(watcher);
        return;
      }
      try {
        watcher.onNext(list);
      } catch (RuntimeException e) {
        watchers.remove(watcher);
        log.debug("ListAndWatch stream gone: {}", e.getMessage());
      }
    }
  }
}
