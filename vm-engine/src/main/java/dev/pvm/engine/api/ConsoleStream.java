package dev.pvm.engine.api;

import com.google.protobuf.ByteString;
import dev.pvm.engine.control.ConsoleBuffer;
import dev.pvm.proto.engine.v1.ConsoleChunk;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;

/**
 * One StreamConsole call: sends the console from an offset, then (unless it is a snapshot) everything new as
 * it is printed, and completes when the console ends. Sends happen on {@code executor}, never on the vCPU
 * thread that prints, and one at a time.
 */
final class ConsoleStream {

    /** Largest chunk sent at once. */
    static final int MAX_CHUNK = 64 * 1024;

    private final ConsoleBuffer console;
    private final ServerCallStreamObserver<ConsoleChunk> out;
    private final boolean follow;
    private final Executor executor;
    private final Runnable watcher = this::schedule;
    private long cursor;
    private boolean done;

    ConsoleStream(ConsoleBuffer console, ServerCallStreamObserver<ConsoleChunk> out, long offset, boolean follow,
            Executor executor) {
        this.console = console;
        this.out = out;
        this.cursor = offset;
        this.follow = follow;
        this.executor = executor;
    }

    /** Called from the RPC method itself (cancellation handlers must be set there). */
    void start() {
        out.setOnCancelHandler(() -> console.unwatch(watcher));
        if (follow) {
            console.watch(watcher);
        }
        schedule();
    }

    private void schedule() {
        executor.execute(this::drain);
    }

    private synchronized void drain() {
        if (done || out.isCancelled()) {
            return;
        }
        while (true) {
            // Read "closed" before the bytes: output never follows close, so an empty read after a close
            // means the end.
            boolean ended = console.closed();
            ConsoleBuffer.Chunk chunk = console.read(cursor, MAX_CHUNK);
            if (chunk.data().length > 0) {
                out.onNext(ConsoleChunk.newBuilder()
                        .setOffset(chunk.offset())
                        .setData(ByteString.copyFrom(chunk.data()))
                        .build());
                cursor = chunk.offset() + chunk.data().length;
                continue;
            }
            if (!follow || ended) {
                done = true;
                console.unwatch(watcher);
                out.onCompleted();
            }
            return;
        }
    }
}
