package dev.pvm.gateway.fake;

import com.google.protobuf.ByteString;
import dev.pvm.proto.engine.v1.ConsoleChunk;
import dev.pvm.proto.engine.v1.CreateRequest;
import dev.pvm.proto.engine.v1.CreateResponse;
import dev.pvm.proto.engine.v1.DeviceTreeFormat;
import dev.pvm.proto.engine.v1.GetDeviceTreeRequest;
import dev.pvm.proto.engine.v1.GetDeviceTreeResponse;
import dev.pvm.proto.engine.v1.ShutdownRequest;
import dev.pvm.proto.engine.v1.ShutdownResponse;
import dev.pvm.proto.engine.v1.StartRequest;
import dev.pvm.proto.engine.v1.StartResponse;
import dev.pvm.proto.engine.v1.StreamConsoleRequest;
import dev.pvm.proto.engine.v1.StreamEventsRequest;
import dev.pvm.proto.engine.v1.VmEngineGrpc;
import dev.pvm.proto.engine.v1.VmState;
import dev.pvm.proto.engine.v1.VmStatus;
import dev.pvm.proto.engine.v1.WriteConsoleRequest;
import dev.pvm.proto.engine.v1.WriteConsoleResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An engine that follows the engine contract without a CPU: Start prints the greeting and then, per scenario,
 * powers off, crashes (exit code 3), or runs until Shutdown. Console input is echoed back like a shell would.
 * The "process" exits (code 0) once Shutdown is called after the VM ended, as the real engine does.
 */
public class FakeVmEngine extends VmEngineGrpc.VmEngineImplBase {

    /** SLOW_CREATE: Create answers after {@link #SLOW_CREATE}, then the guest powers off as in POWER_OFF. */
    public enum Scenario { POWER_OFF, CRASH, RUN_UNTIL_STOPPED, REFUSE_CREATE, SLOW_CREATE }

    /** How long Create takes in the SLOW_CREATE scenario (building a machine from a real kernel takes seconds). */
    public static final Duration SLOW_CREATE = Duration.ofMillis(2500);

    public static final String GREETING = "Hello from a pvm POWER guest\n";
    /** A DTB header's magic number, enough to tell the bytes came through. */
    public static final byte[] DTB = {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed, 0, 0, 0, 8};
    /** What it answers when asked for source text. */
    public static final String DTS = "/dts-v1/;\n\n/ {\n};\n";

    private final Scenario scenario;
    private final CompletableFuture<Integer> exit;
    private final List<String> log;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final List<StreamObserver<VmStatus>> eventFollowers = new ArrayList<>();
    private final List<StreamObserver<ConsoleChunk>> consoleFollowers = new ArrayList<>();
    private VmStatus status = status(VmState.VM_STATE_DEFINED, "");
    private CreateRequest created;
    private boolean crashPending;

    public FakeVmEngine(Scenario scenario, CompletableFuture<Integer> exit, List<String> log) {
        this.scenario = scenario;
        this.exit = exit;
        this.log = log;
    }

    public synchronized CreateRequest created() {
        return created;
    }

    @Override
    public synchronized void create(CreateRequest request, StreamObserver<CreateResponse> out) {
        if (scenario == Scenario.REFUSE_CREATE) {
            log.add("engine: Create refused: layout does not fit");
            out.onError(Status.INVALID_ARGUMENT.withDescription("layout does not fit").asRuntimeException());
            exit.complete(1);
            return;
        }
        if (scenario == Scenario.SLOW_CREATE) {
            try {
                Thread.sleep(SLOW_CREATE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.onError(Status.CANCELLED.withDescription("interrupted").asRuntimeException());
                return;
            }
        }
        created = request;
        log.add("engine: created VM " + request.getVmId());
        out.onNext(CreateResponse.newBuilder().setStatus(status).build());
        out.onCompleted();
    }

    @Override
    public synchronized void start(StartRequest request, StreamObserver<StartResponse> out) {
        change(status(VmState.VM_STATE_RUNNING, ""));
        print(GREETING.getBytes(StandardCharsets.UTF_8));
        out.onNext(StartResponse.newBuilder().setStatus(status).build());
        out.onCompleted();
        switch (scenario) {
            case POWER_OFF, SLOW_CREATE -> end(status(VmState.VM_STATE_SHUTOFF, "guest powered off"));
            case CRASH -> {
                // The supervisor subscribes to the console before Start, but asynchronously: its StreamConsole
                // call may reach this server after Start. Crash once the console follower is there, so that the
                // greeting is delivered before the "process" (and its server) goes away, as the test expects.
                if (consoleFollowers.isEmpty()) {
                    crashPending = true;
                } else {
                    crash();
                }
            }
            default -> { }
        }
    }

    private void crash() {
        crashPending = false;
        log.add("engine: fatal: simulated crash");
        Status gone = Status.UNAVAILABLE.withDescription("engine process exited");
        eventFollowers.forEach(f -> f.onError(gone.asRuntimeException()));
        consoleFollowers.forEach(f -> f.onError(gone.asRuntimeException()));
        eventFollowers.clear();
        consoleFollowers.clear();
        exit.complete(3);
    }

    @Override
    public synchronized void shutdown(ShutdownRequest request, StreamObserver<ShutdownResponse> out) {
        if (!terminal()) {
            end(status(VmState.VM_STATE_SHUTOFF, "stopped by request"));
        }
        out.onNext(ShutdownResponse.newBuilder().setStatus(status).build());
        out.onCompleted();
        log.add("engine: exiting");
        exit.complete(0);
    }

    @Override
    public synchronized void streamEvents(StreamEventsRequest request, StreamObserver<VmStatus> out) {
        out.onNext(status);
        if (terminal()) {
            out.onCompleted();
        } else {
            eventFollowers.add(out);
        }
    }

    @Override
    public synchronized void streamConsole(StreamConsoleRequest request, StreamObserver<ConsoleChunk> out) {
        byte[] all = console.toByteArray();
        int from = (int) Math.min(request.getOffset(), all.length);
        if (from < all.length) {
            out.onNext(ConsoleChunk.newBuilder().setOffset(from)
                    .setData(ByteString.copyFrom(all, from, all.length - from)).build());
        }
        if (terminal() || request.getSnapshot()) {
            out.onCompleted();
        } else {
            consoleFollowers.add(out);
            if (crashPending) {
                crash();
            }
        }
    }

    @Override
    public synchronized void writeConsole(WriteConsoleRequest request, StreamObserver<WriteConsoleResponse> out) {
        print(("echo: " + request.getData().toStringUtf8()).getBytes(StandardCharsets.UTF_8));
        out.onNext(WriteConsoleResponse.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void getDeviceTree(GetDeviceTreeRequest request, StreamObserver<GetDeviceTreeResponse> out) {
        out.onNext(request.getFormat() == DeviceTreeFormat.DEVICE_TREE_FORMAT_DTS
                ? GetDeviceTreeResponse.newBuilder().setDts(DTS).build()
                : GetDeviceTreeResponse.newBuilder().setDtb(ByteString.copyFrom(DTB)).build());
        out.onCompleted();
    }

    private void print(byte[] bytes) {
        long offset = console.size();
        console.writeBytes(bytes);
        ConsoleChunk chunk = ConsoleChunk.newBuilder().setOffset(offset).setData(ByteString.copyFrom(bytes)).build();
        consoleFollowers.forEach(f -> f.onNext(chunk));
    }

    private void change(VmStatus next) {
        status = next;
        eventFollowers.forEach(f -> f.onNext(next));
    }

    private void end(VmStatus last) {
        change(last);
        eventFollowers.forEach(StreamObserver::onCompleted);
        consoleFollowers.forEach(StreamObserver::onCompleted);
        eventFollowers.clear();
        consoleFollowers.clear();
    }

    private boolean terminal() {
        return status.getState() == VmState.VM_STATE_SHUTOFF || status.getState() == VmState.VM_STATE_FAILED;
    }

    private static VmStatus status(VmState state, String reason) {
        return VmStatus.newBuilder().setState(state).setReason(reason).build();
    }
}
