package dev.pvm.gateway.fake;

import dev.pvm.proto.common.v1.DeviceKind;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.proto.common.v1.NvLink2Info;
import dev.pvm.proto.device.v1.Device;
import dev.pvm.proto.device.v1.DeviceServiceGrpc;
import dev.pvm.proto.device.v1.GetDeviceRequest;
import dev.pvm.proto.device.v1.ListDevicesRequest;
import dev.pvm.proto.device.v1.ListDevicesResponse;
import dev.pvm.proto.device.v1.ReleaseRequest;
import dev.pvm.proto.device.v1.ReleaseResponse;
import dev.pvm.proto.device.v1.ReserveRequest;
import dev.pvm.proto.device.v1.ReserveResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** device-service stand-in: one NVLink2 GPU, one NPU bridge and one plain device, with real reservation rules. */
public class FakeDeviceService extends DeviceServiceGrpc.DeviceServiceImplBase {

    public static final String GPU = "0004:04:00.0";
    public static final String BRIDGE = "0007:00:00.0";
    public static final String NIC = "0001:01:00.0";

    public final AtomicBoolean unavailable = new AtomicBoolean();
    /** Addresses Reserve refuses (as if held by a VM the gateway does not know). */
    public final List<String> heldElsewhere = new ArrayList<>();
    private final Map<String, HostPciDevice> devices = new LinkedHashMap<>();
    private final Map<String, String> holders = new LinkedHashMap<>();

    public FakeDeviceService() {
        devices.put(GPU, HostPciDevice.newBuilder().setAddress(GPU).setVendorId(0x10de).setDeviceId(0x1db1)
                .setClassCode(0x030200).setRevision(0xa1).setNumaNode(0).setDriver("vfio-pci").setIommuGroup(2)
                .setKind(DeviceKind.DEVICE_KIND_NVLINK2_GPU)
                .setNvlink2(NvLink2Info.newBuilder().setTgt(0x400000000000L).setGpuRamSize(0x400000000L))
                .build());
        devices.put(BRIDGE, HostPciDevice.newBuilder().setAddress(BRIDGE).setVendorId(0x1014).setDeviceId(0x04ea)
                .setClassCode(0x068000).setNumaNode(0).setIommuGroup(2).setKind(DeviceKind.DEVICE_KIND_NVLINK2_BRIDGE)
                .setNvlink2(NvLink2Info.newBuilder().setTgt(0x400000000000L).setAtsdSize(0x10000).setLinkSpeed(9))
                .build());
        devices.put(NIC, HostPciDevice.newBuilder().setAddress(NIC).setVendorId(0x8086).setDeviceId(0x10fb)
                .setClassCode(0x020000).setNumaNode(-1).setIommuGroup(7).setKind(DeviceKind.DEVICE_KIND_OTHER)
                .build());
    }

    public synchronized Map<String, String> holders() {
        return Map.copyOf(holders);
    }

    @Override
    public synchronized void listDevices(ListDevicesRequest request, StreamObserver<ListDevicesResponse> out) {
        if (refuse(out)) {
            return;
        }
        ListDevicesResponse.Builder response = ListDevicesResponse.newBuilder().setHostSource("simulated:test");
        devices.values().forEach(d -> response.addDevices(device(d)));
        out.onNext(response.build());
        out.onCompleted();
    }

    @Override
    public synchronized void getDevice(GetDeviceRequest request, StreamObserver<Device> out) {
        if (refuse(out)) {
            return;
        }
        HostPciDevice d = devices.get(request.getAddress());
        if (d == null) {
            out.onError(Status.NOT_FOUND.withDescription("no device " + request.getAddress()).asRuntimeException());
            return;
        }
        out.onNext(device(d));
        out.onCompleted();
    }

    @Override
    public synchronized void reserve(ReserveRequest request, StreamObserver<ReserveResponse> out) {
        if (refuse(out)) {
            return;
        }
        for (String address : request.getAddressesList()) {
            String holder = holders.get(address);
            if (heldElsewhere.contains(address) || (holder != null && !holder.equals(request.getVmId()))) {
                out.onError(Status.FAILED_PRECONDITION.withDescription("device " + address
                        + " is held by another VM").asRuntimeException());
                return;
            }
        }
        ReserveResponse.Builder response = ReserveResponse.newBuilder();
        for (String address : request.getAddressesList()) {
            holders.put(address, request.getVmId());
            response.addDevices(devices.get(address));
        }
        out.onNext(response.build());
        out.onCompleted();
    }

    @Override
    public synchronized void release(ReleaseRequest request, StreamObserver<ReleaseResponse> out) {
        if (refuse(out)) {
            return;
        }
        ReleaseResponse.Builder response = ReleaseResponse.newBuilder();
        holders.entrySet().removeIf(e -> {
            if (e.getValue().equals(request.getVmId())) {
                response.addReleased(e.getKey());
                return true;
            }
            return false;
        });
        out.onNext(response.build());
        out.onCompleted();
    }

    private Device device(HostPciDevice d) {
        return Device.newBuilder().setPci(d).setReservedBy(holders.getOrDefault(d.getAddress(), "")).build();
    }

    private boolean refuse(StreamObserver<?> out) {
        if (unavailable.get()) {
            out.onError(Status.UNAVAILABLE.withDescription("device-service down for the test").asRuntimeException());
            return true;
        }
        return false;
    }
}
