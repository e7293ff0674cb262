package dev.pvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.proto.common.v1.BootSpec;
import dev.pvm.proto.common.v1.KernelBoot;
import dev.pvm.proto.common.v1.VmSpec;
import dev.pvm.proto.engine.v1.CreateRequest;
import dev.pvm.proto.engine.v1.ShutdownRequest;
import dev.pvm.proto.engine.v1.StartRequest;
import dev.pvm.proto.engine.v1.StreamEventsRequest;
import dev.pvm.proto.engine.v1.VmEngineGrpc;
import dev.pvm.proto.engine.v1.VmState;
import dev.pvm.proto.engine.v1.VmStatus;
import dev.pvm.engine.testing.TestElf;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The serve command end to end over a real TCP gRPC channel, with the launcher's exit-code contract. */
class ServeCommandTest {

    private record Running(ServeCommand command, CompletableFuture<Integer> exit, ManagedChannel channel,
            VmEngineGrpc.VmEngineBlockingStub stub, int port) {
    }

    private static Running serve(Path portFile, String grace) throws Exception {
        ServeCommand command = new ServeCommand();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(command).execute(
                "--grpc-port", "0", "--port-file", portFile.toString(), "--bind", "127.0.0.1", "--exit-grace", grace));
        int port = command.listening.get(30, TimeUnit.SECONDS);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        return new Running(command, exit, channel, VmEngineGrpc.newBlockingStub(channel), port);
    }

    private static List<VmState> events(Running r) {
        List<VmState> states = new ArrayList<>();
        r.stub().streamEvents(StreamEventsRequest.getDefaultInstance())
                .forEachRemaining((VmStatus s) -> states.add(s.getState()));
        return states;
    }

    private static CreateRequest builtin(String name) {
        return CreateRequest.newBuilder().setVmId("vm-1").setSpec(VmSpec.newBuilder().setName("t")
                .setMachine("pseries").setVcpus(1).setMemoryMib(256)
                .setBoot(BootSpec.newBuilder().setBuiltin(name))).build();
    }

    @Test
    void servesHealthRunsHelloAndExitsZeroOnShutdown(@TempDir Path dir) throws Exception {
        Path portFile = dir.resolve("run/engine.port");
        Running r = serve(portFile, "30");
        try {
            assertThat(Files.readString(portFile)).isEqualTo(r.port() + "\n");
            assertThat(HealthGrpc.newBlockingStub(r.channel()).check(HealthCheckRequest.getDefaultInstance())
                    .getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            r.stub().create(builtin("hello"));
            r.stub().start(StartRequest.getDefaultInstance());
            assertThat(events(r)).last().isEqualTo(VmState.VM_STATE_SHUTOFF);
            r.stub().shutdown(ShutdownRequest.getDefaultInstance());
            assertThat(r.exit().get(30, TimeUnit.SECONDS)).isZero();
        } finally {
            r.channel().shutdownNow();
        }
    }

    @Test
    void aFailedGuestExitsOneOnShutdown(@TempDir Path dir) throws Exception {
        Path kernel = dir.resolve("bad");
        Files.write(kernel, TestElf.executable(ByteOrder.BIG_ENDIAN, 0, 0, 0, new byte[4], 4));
        Running r = serve(dir.resolve("port"), "30");
        try {
            r.stub().create(CreateRequest.newBuilder().setSpec(VmSpec.newBuilder().setMachine("pseries").setVcpus(1)
                    .setMemoryMib(256).setBoot(BootSpec.newBuilder().setKernel(
                            KernelBoot.newBuilder().setKernelPath(kernel.toString())))).build());
            r.stub().start(StartRequest.getDefaultInstance());
            assertThat(events(r)).last().isEqualTo(VmState.VM_STATE_FAILED);
            r.stub().shutdown(ShutdownRequest.getDefaultInstance());
            assertThat(r.exit().get(30, TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            r.channel().shutdownNow();
        }
    }

    @Test
    void exitsByItselfAfterTheGracePeriod(@TempDir Path dir) throws Exception {
        Running r = serve(dir.resolve("port"), "0");
        try {
            r.stub().create(builtin("hello-be"));
            r.stub().start(StartRequest.getDefaultInstance());
            assertThat(r.exit().get(30, TimeUnit.SECONDS)).isZero();
        } finally {
            r.channel().shutdownNow();
        }
    }

    @Test
    void shutdownOfARunningVmStopsItAndExitsZero(@TempDir Path dir) throws Exception {
        Path kernel = TestElf.spinningKernel(dir);
        Running r = serve(dir.resolve("port"), "30");
        try {
            r.stub().create(CreateRequest.newBuilder().setSpec(VmSpec.newBuilder().setMachine("pseries").setVcpus(1)
                    .setMemoryMib(256).setBoot(BootSpec.newBuilder().setKernel(
                            KernelBoot.newBuilder().setKernelPath(kernel.toString())))).build());
            r.stub().start(StartRequest.getDefaultInstance());
            VmStatus s = r.stub().shutdown(ShutdownRequest.newBuilder().setForce(true).build()).getStatus();
            assertThat(s.getState()).isEqualTo(VmState.VM_STATE_SHUTOFF);
            assertThat(r.exit().get(30, TimeUnit.SECONDS)).isZero();
        } finally {
            r.channel().shutdownNow();
        }
    }
}
