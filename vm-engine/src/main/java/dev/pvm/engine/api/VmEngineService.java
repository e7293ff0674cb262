package dev.pvm.engine.api;

import com.google.protobuf.ByteString;
import dev.pvm.engine.control.VmAction;
import dev.pvm.engine.control.VmController;
import dev.pvm.engine.control.VmStateException;
import dev.pvm.engine.control.VmStatus;
import dev.pvm.engine.fdt.DtsPrinter;
import dev.pvm.engine.fdt.FdtReader;
import dev.pvm.engine.machine.spapr.SpaprMachine;
import dev.pvm.proto.engine.v1.ConsoleChunk;
import dev.pvm.proto.engine.v1.CreateRequest;
import dev.pvm.proto.engine.v1.CreateResponse;
import dev.pvm.proto.engine.v1.DeviceTreeFormat;
import dev.pvm.proto.engine.v1.GetDeviceTreeRequest;
import dev.pvm.proto.engine.v1.GetDeviceTreeResponse;
import dev.pvm.proto.engine.v1.GetStateRequest;
import dev.pvm.proto.engine.v1.PauseRequest;
import dev.pvm.proto.engine.v1.PauseResponse;
import dev.pvm.proto.engine.v1.ResumeRequest;
import dev.pvm.proto.engine.v1.ResumeResponse;
import dev.pvm.proto.engine.v1.ShutdownRequest;
import dev.pvm.proto.engine.v1.ShutdownResponse;
import dev.pvm.proto.engine.v1.StartRequest;
import dev.pvm.proto.engine.v1.StartResponse;
import dev.pvm.proto.engine.v1.StreamConsoleRequest;
import dev.pvm.proto.engine.v1.StreamEventsRequest;
import dev.pvm.proto.engine.v1.VmEngineGrpc;
import dev.pvm.proto.engine.v1.WriteConsoleRequest;
import dev.pvm.proto.engine.v1.WriteConsoleResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The VmEngine gRPC service: translates requests into {@link VmAction}s for the controller and results into
 * responses. No machine logic here.
 */
public final class VmEngineService extends VmEngineGrpc.VmEngineImplBase {

    private final VmController controller;
    private final Runnable onShutdown;
    private final Executor streams;

    /**
     * @param onShutdown called after a Shutdown response has been handed to gRPC (the process then exits)
     * @param streams    runs console stream sends
     */
    public VmEngineService(VmController controller, Runnable onShutdown, Executor streams) {
        this.controller = controller;
        this.onShutdown = onShutdown;
        this.streams = streams;
    }

    @Override
    public void create(CreateRequest request, StreamObserver<CreateResponse> out) {
        unary(out, () -> CreateResponse.newBuilder().setStatus(VmStatusMapper.toProto(
                controller.execute(new VmAction.Create(CreateRequestMapper.toConfig(request))))).build());
    }

    @Override
    public void start(StartRequest request, StreamObserver<StartResponse> out) {
        unary(out, () -> StartResponse.newBuilder()
                .setStatus(VmStatusMapper.toProto(controller.execute(new VmAction.Start()))).build());
    }

    @Override
    public void pause(PauseRequest request, StreamObserver<PauseResponse> out) {
        unary(out, () -> PauseResponse.newBuilder()
                .setStatus(VmStatusMapper.toProto(controller.execute(new VmAction.Pause()))).build());
    }

    @Override
    public void resume(ResumeRequest request, StreamObserver<ResumeResponse> out) {
        unary(out, () -> ResumeResponse.newBuilder()
                .setStatus(VmStatusMapper.toProto(controller.execute(new VmAction.Resume()))).build());
    }

    @Override
    public void shutdown(ShutdownRequest request, StreamObserver<ShutdownResponse> out) {
        boolean answered = unary(out, () -> ShutdownResponse.newBuilder().setStatus(VmStatusMapper.toProto(
                controller.execute(new VmAction.Shutdown(request.getForce())))).build());
        if (answered) {
            onShutdown.run();
        }
    }

    @Override
    public void getState(GetStateRequest request, StreamObserver<dev.pvm.proto.engine.v1.VmStatus> out) {
        unary(out, () -> VmStatusMapper.toProto(controller.status()));
    }

    @Override
    public void streamConsole(StreamConsoleRequest request, StreamObserver<ConsoleChunk> out) {
        new ConsoleStream(controller.console(), (ServerCallStreamObserver<ConsoleChunk>) out, request.getOffset(),
                !request.getSnapshot(), streams).start();
    }

    @Override
    public void writeConsole(WriteConsoleRequest request, StreamObserver<WriteConsoleResponse> out) {
        unary(out, () -> {
            SpaprMachine machine = controller.machine();
            if (machine == null) {
                throw GrpcErrors.noVm("WriteConsole");
            }
            if (controller.status().state().terminal()) {
                throw new VmStateException(controller.status().state(),
                        "WriteConsole needs a VM that has not ended; it is " + controller.status().state());
            }
            machine.console().feed(request.getData().toByteArray());
            return WriteConsoleResponse.getDefaultInstance();
        });
    }

    @Override
    public void streamEvents(StreamEventsRequest request, StreamObserver<dev.pvm.proto.engine.v1.VmStatus> out) {
        ServerCallStreamObserver<dev.pvm.proto.engine.v1.VmStatus> call =
                (ServerCallStreamObserver<dev.pvm.proto.engine.v1.VmStatus>) out;
        Consumer<VmStatus> listener = new Consumer<>() {
            private boolean ended;

            @Override
            public void accept(VmStatus status) {
                if (ended || call.isCancelled()) {
                    controller.removeListener(this);
                    return;
                }
                call.onNext(VmStatusMapper.toProto(status));
                if (status.state().terminal()) {
                    ended = true;
                    controller.removeListener(this);
                    call.onCompleted();
                }
            }
        };
        call.setOnCancelHandler(() -> controller.removeListener(listener));
        controller.addListener(listener);
    }

    @Override
    public void getDeviceTree(GetDeviceTreeRequest request, StreamObserver<GetDeviceTreeResponse> out) {
        unary(out, () -> {
            SpaprMachine machine = controller.machine();
            if (machine == null) {
                throw GrpcErrors.noVm("GetDeviceTree");
            }
            byte[] dtb = machine.deviceTree();
            if (request.getFormat() == DeviceTreeFormat.DEVICE_TREE_FORMAT_DTS) {
                return GetDeviceTreeResponse.newBuilder().setDts(DtsPrinter.print(FdtReader.read(dtb))).build();
            }
            return GetDeviceTreeResponse.newBuilder().setDtb(ByteString.copyFrom(dtb)).build();
        });
    }

    /** Answers with the supplier's value or the mapped error; true when it answered with a value. */
    private static <T> boolean unary(StreamObserver<T> out, Supplier<T> body) {
        T value;
        try {
            value = body.get();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
            return false;
        }
        out.onNext(value);
        out.onCompleted();
        return true;
    }
}
