package dev.pvm.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.proto.placement.v1.ListMachineTypesRequest;
import dev.pvm.proto.placement.v1.PlacementServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.Test;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.context.SpringBootTest;

/** The assembled application: the gRPC server listens, serves PlacementService and answers health checks. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {"spring.grpc.server.port=0", "spring.grpc.server.address=127.0.0.1"})
class PlacementApplicationTest {

  @LocalGrpcServerPort int port;

  @Test
  void servesPlacementAndHealthOverTheNetwork() {
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      HealthCheckResponse health =
          HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().setService("").build());
      assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      assertThat(
              PlacementServiceGrpc.newBlockingStub(channel)
                  .listMachineTypes(ListMachineTypesRequest.getDefaultInstance())
                  .getMachineTypesCount())
          .isEqualTo(23);
    } finally {
      channel.shutdownNow();
    }
  }
}
