package dev.pvm.gateway.fake;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.proto.common.v1.PhbSpec;
import dev.pvm.proto.placement.v1.Associativity;
import dev.pvm.proto.placement.v1.ComputeLayoutRequest;
import dev.pvm.proto.placement.v1.ComputeLayoutResponse;
import dev.pvm.proto.placement.v1.GpuSlot;
import dev.pvm.proto.placement.v1.GuestLayout;
import dev.pvm.proto.placement.v1.ListMachineTypesRequest;
import dev.pvm.proto.placement.v1.ListMachineTypesResponse;
import dev.pvm.proto.placement.v1.MachineType;
import dev.pvm.proto.placement.v1.NumaNodeLayout;
import dev.pvm.proto.placement.v1.NvLink;
import dev.pvm.proto.placement.v1.PhbLayout;
import dev.pvm.proto.placement.v1.PlacedDevice;
import dev.pvm.proto.placement.v1.PlacementServiceGrpc;
import dev.pvm.proto.placement.v1.Window;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * placement-service stand-in: three machine types, and a small but structurally real layout (windows derived from
 * the PHB index, one GPU slot per NVLink2 GPU). Refuses a spec whose first PHB index is 13 with INVALID_ARGUMENT
 * naming "spec.phbs[0].index", the way the real service reports field errors.
 */
public class FakePlacementService extends PlacementServiceGrpc.PlacementServiceImplBase {

    public final AtomicBoolean unavailable = new AtomicBoolean();

    @Override
    public void listMachineTypes(ListMachineTypesRequest request, StreamObserver<ListMachineTypesResponse> out) {
        if (unavailable.get()) {
            out.onError(Status.UNAVAILABLE.withDescription("placement down for the test").asRuntimeException());
            return;
        }
        out.onNext(ListMachineTypesResponse.newBuilder()
                .addMachineTypes(MachineType.newBuilder().setName("pseries-2.7").setMaxVcpus(16).setMaxPhbIndex(255))
                .addMachineTypes(MachineType.newBuilder().setName("pseries-4.0").setMaxVcpus(16).setMaxPhbIndex(30))
                .addMachineTypes(MachineType.newBuilder().setName("pseries-4.1").setMaxVcpus(16).setMaxPhbIndex(30)
                        .setNvlink2(true).addAliases("pseries"))
                .build());
        out.onCompleted();
    }

    @Override
    public void computeLayout(ComputeLayoutRequest request, StreamObserver<ComputeLayoutResponse> out) {
        if (unavailable.get()) {
            out.onError(Status.UNAVAILABLE.withDescription("placement down for the test").asRuntimeException());
            return;
        }
        if (request.getSpec().getPhbsCount() > 0 && request.getSpec().getPhbs(0).getIndex() == 13) {
            String field = "spec.phbs[0].index";
            out.onError(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                    .setCode(Code.INVALID_ARGUMENT_VALUE)
                    .setMessage("PHB index 13 collides with a test rule")
                    .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain("pvm.dev").setReason("INVALID_FIELD")
                            .putMetadata("field", field).build()))
                    .addDetails(Any.pack(BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation
                            .newBuilder().setField(field).setDescription("PHB index 13 collides with a test rule"))
                            .build()))
                    .build()));
            return;
        }
        GuestLayout.Builder layout = GuestLayout.newBuilder()
                .setMachine(request.getSpec().getMachine())
                .addNumaNodes(NumaNodeLayout.newBuilder()
                        .setNodeId(0)
                        .setRam(Window.newBuilder().setBase(0).setSize(request.getSpec().getMemoryMib() << 20))
                        .setAssociativity(Associativity.newBuilder().addCells(4).addCells(0).addCells(0).addCells(0)
                                .addCells(0)))
                .addAssociativityReferencePoints(4).addAssociativityReferencePoints(4)
                .addAssociativityReferencePoints(2);
        for (int cpu = 0; cpu < request.getSpec().getVcpus(); cpu++) {
            layout.addCpuNode(0);
        }
        layout.addPhbs(phb(0));
        for (PhbSpec phbSpec : request.getSpec().getPhbsList()) {
            PhbLayout.Builder phb = phb(phbSpec.getIndex()).toBuilder();
            int devfn = 8;
            for (String address : phbSpec.getDevicesList()) {
                phb.addDevices(PlacedDevice.newBuilder().setHostAddress(address).setDevfn(devfn));
                devfn += 8;
                HostPciDevice device = request.getDevicesList().stream()
                        .filter(d -> d.getAddress().equals(address)).findFirst().orElseThrow();
                if (device.hasNvlink2() && device.getNvlink2().getGpuRamSize() > 0) {
                    phb.addGpuSlots(GpuSlot.newBuilder()
                            .setSlot(phb.getGpuSlotsCount())
                            .setTgt(device.getNvlink2().getTgt())
                            .setGpuAddress(address)
                            .setRam(Window.newBuilder().setBase(phb.getNv2Ram().getBase())
                                    .setSize(device.getNvlink2().getGpuRamSize()))
                            .setNumaId(1)
                            .addLinks(NvLink.newBuilder().setLink(0).setBridgeAddress("0007:00:00.0")
                                    .setAtsdGpa(phb.getNv2Atsd().getBase()).setLinkSpeed(9)));
                }
            }
            layout.addPhbs(phb);
        }
        out.onNext(ComputeLayoutResponse.newBuilder().setLayout(layout).build());
        out.onCompleted();
    }

    private static PhbLayout phb(int index) {
        long base = 0x200000000000L + index * 0x1000000000L;
        return PhbLayout.newBuilder()
                .setIndex(index)
                .setBuid(0x800000020000000L + index)
                .addLiobns(0x80000000 + index)
                .setPio(Window.newBuilder().setBase(base).setSize(0x10000))
                .setMmio32(Window.newBuilder().setBase(base + 0x80000000L).setSize(0x80000000L))
                .setMmio64(Window.newBuilder().setBase(base + 0x800000000L).setSize(0x800000000L))
                .setNv2Ram(Window.newBuilder().setBase(0x10000000000L * (index + 1)).setSize(0x2000000000L))
                .setNv2Atsd(Window.newBuilder().setBase(0x6000000000000L + index * 0x60000L).setSize(0x60000))
                .build();
    }
}
