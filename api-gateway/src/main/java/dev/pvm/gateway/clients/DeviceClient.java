package dev.pvm.gateway.clients;

import dev.pvm.gateway.config.GatewayProperties;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.proto.device.v1.Device;
import dev.pvm.proto.device.v1.DeviceServiceGrpc.DeviceServiceBlockingStub;
import dev.pvm.proto.device.v1.GetDeviceRequest;
import dev.pvm.proto.device.v1.ListDevicesRequest;
import dev.pvm.proto.device.v1.ListDevicesResponse;
import dev.pvm.proto.device.v1.ReleaseRequest;
import dev.pvm.proto.device.v1.ReserveRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** device-service: the host's devices and their reservations. */
@Component
public class DeviceClient {

    public static final String SERVICE = "device-service";

    private final DeviceServiceBlockingStub stub;
    private final GatewayProperties properties;

    public DeviceClient(DeviceServiceBlockingStub stub, GatewayProperties properties) {
        this.stub = stub;
        this.properties = properties;
    }

    public ListDevicesResponse listDevices() {
        try {
            return deadlined().listDevices(ListDevicesRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            throw GrpcFailureTranslator.translate(SERVICE, e);
        }
    }

    /** The device at a host PCI address, or empty when the host has none there. */
    public Optional<Device> find(String address) {
        try {
            return Optional.of(deadlined().getDevice(GetDeviceRequest.newBuilder().setAddress(address).build()));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw GrpcFailureTranslator.translate(SERVICE, e);
        }
    }

    /** Reserves the devices for the VM, all or none; returns their full descriptions. */
    public List<HostPciDevice> reserve(UUID vmId, List<String> addresses) {
        try {
            return deadlined().reserve(ReserveRequest.newBuilder()
                            .setVmId(vmId.toString())
                            .addAllAddresses(addresses)
                            .build())
                    .getDevicesList();
        } catch (StatusRuntimeException e) {
            throw GrpcFailureTranslator.translate(SERVICE, e);
        }
    }

    /** Releases everything the VM holds; returns the released addresses. */
    public List<String> release(UUID vmId) {
        try {
            return deadlined().release(ReleaseRequest.newBuilder().setVmId(vmId.toString()).build())
                    .getReleasedList();
        } catch (StatusRuntimeException e) {
            throw GrpcFailureTranslator.translate(SERVICE, e);
        }
    }

    private DeviceServiceBlockingStub deadlined() {
        return stub.withDeadlineAfter(properties.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS);
    }
}
