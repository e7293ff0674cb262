package dev.pvm.placement.api;

import dev.pvm.placement.LayoutInputException;
import dev.pvm.placement.layout.LayoutCalculator;
import dev.pvm.placement.machine.MachineTypeCatalog;
import dev.pvm.proto.placement.v1.ComputeLayoutRequest;
import dev.pvm.proto.placement.v1.ComputeLayoutResponse;
import dev.pvm.proto.placement.v1.ComputePhbWindowsRequest;
import dev.pvm.proto.placement.v1.ComputePhbWindowsResponse;
import dev.pvm.proto.placement.v1.ListMachineTypesRequest;
import dev.pvm.proto.placement.v1.ListMachineTypesResponse;
import dev.pvm.proto.placement.v1.PlacementServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/** The gRPC face of the layout computation: mapping and status conversion only. */
@Service
public class PlacementGrpcService extends PlacementServiceGrpc.PlacementServiceImplBase {

  /** Default guest RAM for ComputePhbWindows when the caller gives none (QEMU pseries' default_ram_size). */
  static final long DEFAULT_MEMORY_MIB = 512;

  private final MachineTypeCatalog catalog;
  private final LayoutCalculator calculator;

  public PlacementGrpcService(MachineTypeCatalog catalog) {
    this.catalog = catalog;
    this.calculator = new LayoutCalculator(catalog);
  }

  @Override
  public void computeLayout(ComputeLayoutRequest request, StreamObserver<ComputeLayoutResponse> responses) {
    answer(
        responses,
        () ->
            ComputeLayoutResponse.newBuilder()
                .setLayout(GuestLayoutMapper.toProto(calculator.compute(LayoutRequestMapper.toDomain(request))))
                .build());
  }

  @Override
  public void computePhbWindows(
      ComputePhbWindowsRequest request, StreamObserver<ComputePhbWindowsResponse> responses) {
    long memoryMib = request.getMemoryMib() == 0 ? DEFAULT_MEMORY_MIB : request.getMemoryMib();
    answer(
        responses,
        () ->
            ComputePhbWindowsResponse.newBuilder()
                .setPhb(
                    GuestLayoutMapper.windows(
                        calculator.phbWindows(
                            request.getMachine(),
                            Integer.toUnsignedLong(request.getIndex()),
                            memoryMib < 0 ? Long.MAX_VALUE : memoryMib)))
                .build());
  }

  @Override
  public void listMachineTypes(
      ListMachineTypesRequest request, StreamObserver<ListMachineTypesResponse> responses) {
    answer(
        responses,
        () -> {
          ListMachineTypesResponse.Builder builder = ListMachineTypesResponse.newBuilder();
          catalog.all().forEach(type -> builder.addMachineTypes(GuestLayoutMapper.machineType(type)));
          return builder.build();
        });
  }

  private static <T> void answer(StreamObserver<T> responses, Supplier<T> computation) {
    T response;
    try {
      response = computation.get();
    } catch (LayoutInputException e) {
      responses.onError(PlacementErrorMapper.toStatus(e));
      return;
    }
    responses.onNext(response);
    responses.onCompleted();
  }
}
