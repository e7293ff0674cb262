package dev.pvm.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.proto.common.v1.DeviceKind;
import dev.pvm.proto.device.v1.DeviceServiceGrpc;
import dev.pvm.proto.device.v1.ListDevicesRequest;
import dev.pvm.proto.device.v1.ListDevicesResponse;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole service on the default simulated host: a real gRPC server over TCP with the health service. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {"spring.grpc.server.port=0"})
class DeviceApplicationTest {
  @TempDir static Path dataDir;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("pvm.device.data-dir", dataDir::toString);
    registry.add("logging.file.name", () -> dataDir.resolve("device-service.log").toString());
  }

  @LocalGrpcServerPort int port;

  @Test
  void servesDevicesAndHealthOverTcp() throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
          .check(HealthCheckRequest.newBuilder().setService("").build());
      assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

      ListDevicesResponse list = DeviceServiceGrpc.newBlockingStub(channel)
          .listDevices(ListDevicesRequest.getDefaultInstance());
      assertThat(list.getHostSource()).isEqualTo("simulated:ac922-4gpu");
      assertThat(list.getDevicesList()).filteredOn(d -> d.getPci().getKind() == DeviceKind.DEVICE_KIND_NVLINK2_GPU)
          .hasSize(4);
      assertThat(list.getDevicesList()).filteredOn(d -> d.getPci().getKind() == DeviceKind.DEVICE_KIND_NVLINK2_BRIDGE)
          .hasSize(12)
          .allSatisfy(d -> assertThat(d.getPci().getNvlink2().getBackingPath())
              .startsWith(dataDir.resolve("devices/ac922-4gpu/backing").toString()));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
