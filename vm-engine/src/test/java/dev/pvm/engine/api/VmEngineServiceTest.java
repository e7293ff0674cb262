package dev.pvm.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.pvm.engine.control.ConsoleBuffer;
import dev.pvm.engine.control.VmController;
import dev.pvm.engine.fdt.DtsPrinter;
import dev.pvm.engine.fdt.FdtNode;
import dev.pvm.engine.fdt.FdtReader;
import dev.pvm.engine.fdt.FdtTree;
import dev.pvm.engine.machine.spapr.SpaprMachine;
import dev.pvm.engine.testing.TestElf;
import dev.pvm.proto.common.v1.BootSpec;
import dev.pvm.proto.common.v1.KernelBoot;
import dev.pvm.proto.common.v1.PhbSpec;
import dev.pvm.proto.common.v1.VmSpec;
import dev.pvm.proto.engine.v1.ConsoleChunk;
import dev.pvm.proto.engine.v1.CreateRequest;
import dev.pvm.proto.engine.v1.DeviceTreeFormat;
import dev.pvm.proto.engine.v1.GetDeviceTreeRequest;
import dev.pvm.proto.engine.v1.GetStateRequest;
import dev.pvm.proto.engine.v1.PauseRequest;
import dev.pvm.proto.engine.v1.ResumeRequest;
import dev.pvm.proto.engine.v1.ShutdownRequest;
import dev.pvm.proto.engine.v1.StartRequest;
import dev.pvm.proto.engine.v1.StreamConsoleRequest;
import dev.pvm.proto.engine.v1.StreamEventsRequest;
import dev.pvm.proto.engine.v1.VmEngineGrpc;
import dev.pvm.proto.engine.v1.VmState;
import dev.pvm.proto.engine.v1.VmStatus;
import dev.pvm.proto.engine.v1.WriteConsoleRequest;
import dev.pvm.proto.placement.v1.Associativity;
import dev.pvm.proto.placement.v1.GuestLayout;
import dev.pvm.proto.placement.v1.NumaNodeLayout;
import dev.pvm.proto.placement.v1.Window;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VmEngineServiceTest {

    private final AtomicInteger shutdowns = new AtomicInteger();
    private final ExecutorService streams = Executors.newCachedThreadPool();
    private VmController controller;
    private Server server;
    private ManagedChannel channel;
    private VmEngineGrpc.VmEngineBlockingStub stub;

    @BeforeEach
    void start() throws Exception {
        controller = new VmController((config, sink) -> SpaprMachine.create(config, sink, Clock.systemUTC()),
                new ConsoleBuffer(1 << 16));
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new VmEngineService(controller, shutdowns::incrementAndGet, streams)).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = VmEngineGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
        controller.close();
        streams.shutdownNow();
    }

    static VmSpec.Builder spec(String builtin) {
        return VmSpec.newBuilder().setName("web1").setMachine("pseries-4.1").setVcpus(1).setMemoryMib(256)
                .setBoot(BootSpec.newBuilder().setBuiltin(builtin));
    }

    private static CreateRequest create(VmSpec.Builder spec) {
        return CreateRequest.newBuilder().setVmId("vm-1").setSpec(spec).build();
    }

    private List<VmState> eventsUntilEnd() {
        List<VmState> states = new ArrayList<>();
        Iterator<VmStatus> events = stub.streamEvents(StreamEventsRequest.getDefaultInstance());
        events.forEachRemaining(s -> states.add(s.getState()));
        return states;
    }

    private String console(long offset, boolean snapshot) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stub.streamConsole(StreamConsoleRequest.newBuilder().setOffset(offset).setSnapshot(snapshot).build())
                .forEachRemaining((ConsoleChunk c) -> out.writeBytes(c.getData().toByteArray()));
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource({"hello, ppc64le", "hello-be, ppc64"})
    void helloGreetsThroughTheConsoleStreamAndEndsShutoff(String builtin, String arch) {
        assertThat(stub.create(create(spec(builtin))).getStatus().getState()).isEqualTo(VmState.VM_STATE_DEFINED);
        VmStatus started = stub.start(StartRequest.getDefaultInstance()).getStatus();
        assertThat(started.getState()).isIn(VmState.VM_STATE_RUNNING, VmState.VM_STATE_SHUTOFF);
        // The console stream follows the guest and ends when the VM does.
        String text = console(0, false);
        assertThat(text).startsWith("Hello from a pvm POWER guest (" + arch + ")\r\n")
                .contains("model \"IBM pSeries (emulated by pvm)\", 256 MiB of memory");
        assertThat(eventsUntilEnd()).last().isEqualTo(VmState.VM_STATE_SHUTOFF);
        VmStatus end = stub.getState(GetStateRequest.getDefaultInstance());
        assertThat(end.getState()).isEqualTo(VmState.VM_STATE_SHUTOFF);
        assertThat(end.getReason()).isEqualTo("guest powered off");
        assertThat(end.getInstructions()).isPositive();
        assertThat(console(6, true)).isEqualTo(text.substring(6));
        assertThat(stub.shutdown(ShutdownRequest.getDefaultInstance()).getStatus().getState())
                .isEqualTo(VmState.VM_STATE_SHUTOFF);
        assertThat(shutdowns.get()).isEqualTo(1);
    }

    @Test
    void deviceTreeIsTheOneTheGuestGot() {
        assertThatThrownBy(() -> stub.getDeviceTree(GetDeviceTreeRequest.getDefaultInstance()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        stub.create(create(spec("hello")));
        byte[] dtb = stub.getDeviceTree(GetDeviceTreeRequest.getDefaultInstance()).getDtb().toByteArray();
        FdtTree tree = FdtReader.read(dtb);
        assertThat(tree.root().requireProperty("model").string()).isEqualTo("IBM pSeries (emulated by pvm)");
        assertThat(dtb).isEqualTo(controller.machine().deviceTree());

        String dts = stub.getDeviceTree(GetDeviceTreeRequest.newBuilder()
                .setFormat(DeviceTreeFormat.DEVICE_TREE_FORMAT_DTS).build()).getDts();
        assertThat(dts).startsWith("/dts-v1/;\n").contains("model = \"IBM pSeries (emulated by pvm)\";")
                .isEqualTo(DtsPrinter.print(tree));
    }

    @Test
    void theLayoutsNumaNodesAreUsedAsGiven() {
        GuestLayout layout = GuestLayout.newBuilder().setMachine("pseries-4.1")
                .addNumaNodes(NumaNodeLayout.newBuilder().setNodeId(0)
                        .setRam(Window.newBuilder().setBase(0).setSize(256L << 20))
                        .setAssociativity(Associativity.newBuilder().addAllCells(List.of(4, 0, 0, 0, 0))))
                .addNumaNodes(NumaNodeLayout.newBuilder().setNodeId(1)
                        .setRam(Window.newBuilder().setBase(256L << 20).setSize(256L << 20))
                        .setAssociativity(Associativity.newBuilder().addAllCells(List.of(4, 0, 0, 0, 1))))
                .addAllAssociativityReferencePoints(List.of(4, 3, 2, 1))
                .addCpuAssociativity(Associativity.newBuilder().addAllCells(List.of(5, 0, 0, 0, 1, 0)))
                .build();
        stub.create(CreateRequest.newBuilder().setSpec(spec("hello").setMemoryMib(512)).setLayout(layout).build());
        FdtTree tree = FdtReader.read(stub.getDeviceTree(GetDeviceTreeRequest.getDefaultInstance()).getDtb()
                .toByteArray());
        FdtNode node1 = tree.require("/memory@10000000");
        assertThat(node1.requireProperty("ibm,associativity").cells()).containsExactly(4, 0, 0, 0, 1);
        assertThat(tree.require("/rtas").requireProperty("ibm,associativity-reference-points").cells())
                .containsExactly(4, 3, 2, 1);
        assertThat(tree.require("/cpus/PowerPC,POWER9@0").requireProperty("ibm,associativity").cells())
                .containsExactly(5, 0, 0, 0, 1, 0);
    }

    private static void assertInvalidField(Runnable call, String field, String text) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains(text);
            com.google.rpc.Status details = StatusProto.fromThrowable(e);
            try {
                ErrorInfo info = details.getDetails(0).unpack(ErrorInfo.class);
                assertThat(info.getDomain()).isEqualTo("pvm.dev");
                assertThat(info.getReason()).isEqualTo("INVALID_FIELD");
                assertThat(info.getMetadataMap()).containsEntry("field", field);
                BadRequest bad = details.getDetails(1).unpack(BadRequest.class);
                assertThat(bad.getFieldViolations(0).getField()).isEqualTo(field);
            } catch (InvalidProtocolBufferException ex) {
                throw new AssertionError(ex);
            }
        });
    }

    @Test
    void badSpecsAreInvalidArgumentsNamingTheField(@TempDir Path dir) {
        assertInvalidField(() -> stub.create(create(spec("nope"))), "spec.boot.builtin",
                "no built-in guest 'nope' (known: [hello, hello-be])");
        assertInvalidField(() -> stub.create(create(spec("hello").setMemoryMib(300))), "spec.memory_mib",
                "positive multiple of 256 MiB");
        assertInvalidField(() -> stub.create(create(spec("hello").setVcpus(0))), "spec.vcpus", "at least one vCPU");
        assertInvalidField(() -> stub.create(create(spec("hello").setMachine("x86"))), "spec.machine",
                "not pseries or pseries-X.Y");
        assertInvalidField(() -> stub.create(create(spec("hello").clearBoot())), "spec.boot", "nothing to boot");
        assertInvalidField(() -> stub.create(create(spec("hello").setBoot(BootSpec.newBuilder().setKernel(
                KernelBoot.newBuilder().setKernelPath(dir.resolve("vmlinux").toString()))))),
                "spec.boot.kernel.kernel_path", "no such file");
        assertInvalidField(() -> stub.create(create(spec("hello").addPhbs(PhbSpec.newBuilder().setIndex(1)))),
                "spec.phbs", "not implemented");
        assertInvalidField(() -> stub.create(CreateRequest.newBuilder().setSpec(spec("hello"))
                .setLayout(GuestLayout.newBuilder().addNumaNodes(NumaNodeLayout.newBuilder()
                        .setRam(Window.newBuilder().setSize(128L << 20)))).build()),
                "layout.numa_nodes", "the nodes hold 128 MiB, the spec asks for 256 MiB");
        assertThat(stub.getState(GetStateRequest.getDefaultInstance()).getState())
                .as("a refused Create leaves the engine waiting for a good one").isEqualTo(VmState.VM_STATE_UNSPECIFIED);
    }

    @Test
    void actionsInTheWrongStateAreFailedPreconditions() {
        assertThatThrownBy(() -> stub.start(StartRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    try {
                        ErrorInfo info = StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorInfo.class);
                        assertThat(info.getReason()).isEqualTo("CONFLICT");
                        assertThat(info.getMetadataMap()).containsEntry("state", "NOT_CREATED");
                    } catch (InvalidProtocolBufferException ex) {
                        throw new AssertionError(ex);
                    }
                });
        stub.create(create(spec("hello")));
        assertThatThrownBy(() -> stub.create(create(spec("hello"))))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        assertThatThrownBy(() -> stub.resume(ResumeRequest.getDefaultInstance()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    }

    @Test
    void consoleInputReachesTheVty() {
        assertThatThrownBy(() -> stub.writeConsole(WriteConsoleRequest.newBuilder()
                .setData(ByteString.copyFromUtf8("x")).build()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        stub.create(create(spec("hello")));
        stub.writeConsole(WriteConsoleRequest.newBuilder().setData(ByteString.copyFromUtf8("ls\r")).build());
        assertThat(controller.machine().console().pendingInput()).isEqualTo(3);
    }

    @Test
    void pauseResumeAndForcedShutdown(@TempDir Path dir) throws Exception {
        Path kernel = TestElf.spinningKernel(dir);
        stub.create(create(spec("hello").setBoot(BootSpec.newBuilder().setKernel(
                KernelBoot.newBuilder().setKernelPath(kernel.toString())))));
        stub.start(StartRequest.getDefaultInstance());
        assertThat(stub.pause(PauseRequest.getDefaultInstance()).getStatus().getState())
                .isEqualTo(VmState.VM_STATE_PAUSED);
        assertThat(stub.resume(ResumeRequest.getDefaultInstance()).getStatus().getState())
                .isEqualTo(VmState.VM_STATE_RUNNING);
        VmStatus end = stub.shutdown(ShutdownRequest.newBuilder().setForce(true).build()).getStatus();
        assertThat(end.getState()).isEqualTo(VmState.VM_STATE_SHUTOFF);
        assertThat(end.getReason()).isEqualTo("stopped by request (forced)");
        assertThat(eventsUntilEnd()).containsExactly(VmState.VM_STATE_SHUTOFF);
        assertThat(console(0, false)).isEmpty();
    }
}
