package dev.pvm.gateway.clients;

import dev.pvm.gateway.config.GatewayProperties;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.proto.common.v1.VmSpec;
import dev.pvm.proto.placement.v1.ComputeLayoutRequest;
import dev.pvm.proto.placement.v1.GuestLayout;
import dev.pvm.proto.placement.v1.ListMachineTypesRequest;
import dev.pvm.proto.placement.v1.PlacementServiceGrpc.PlacementServiceBlockingStub;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** placement-service: layouts, and the machine types (cached, they change only when placement is upgraded). */
@Component
public class PlacementClient {

    public static final String SERVICE = "placement-service";

    private final PlacementServiceBlockingStub stub;
    private final GatewayProperties properties;
    private final Clock clock;
    private volatile CachedMachineTypes cache;

    private record CachedMachineTypes(List<MachineTypeLimits> types, Instant fetched) {}

    public PlacementClient(PlacementServiceBlockingStub stub, GatewayProperties properties, Clock clock) {
        this.stub = stub;
        this.properties = properties;
        this.clock = clock;
    }

    public GuestLayout computeLayout(VmSpec spec, List<HostPciDevice> devices) {
        try {
            return deadlined().computeLayout(ComputeLayoutRequest.newBuilder()
                            .setSpec(spec)
                            .addAllDevices(devices)
                            .build())
                    .getLayout();
        } catch (StatusRuntimeException e) {
            throw GrpcFailureTranslator.translate(SERVICE, e);
        }
    }

    public List<MachineTypeLimits> machineTypes() {
        CachedMachineTypes cached = cache;
        Instant now = clock.instant();
        if (cached != null && cached.fetched().plus(properties.machineTypesCacheTtl()).isAfter(now)) {
            return cached.types();
        }
        try {
            List<MachineTypeLimits> types = deadlined().listMachineTypes(ListMachineTypesRequest.getDefaultInstance())
                    .getMachineTypesList().stream()
                    .map(t -> new MachineTypeLimits(t.getName(), t.getMaxVcpus(), t.getMaxPhbIndex(), t.getNvlink2(),
                            List.copyOf(t.getAliasesList())))
                    .toList();
            cache = new CachedMachineTypes(types, now);
            return types;
        } catch (StatusRuntimeException e) {
            if (cached != null) {
                // A stale list is still right unless placement was upgraded meanwhile; better than refusing.
                return cached.types();
            }
            throw GrpcFailureTranslator.translate(SERVICE, e);
        }
    }

    private PlacementServiceBlockingStub deadlined() {
        return stub.withDeadlineAfter(properties.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS);
    }
}
