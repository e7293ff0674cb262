package dev.pvm.engine.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.loader.BuiltinGuest;
import dev.pvm.engine.machine.BootSource;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MemoryNode;
import dev.pvm.engine.machine.NumaProperties;
import dev.pvm.engine.machine.spapr.SpaprMachine;
import dev.pvm.engine.testing.TestElf;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmControllerTest {

    private final ConsoleBuffer console = new ConsoleBuffer(1 << 16);
    private final VmController controller =
            new VmController((config, sink) -> SpaprMachine.create(config, sink, Clock.systemUTC()), console);
    private final List<VmState> seen = new CopyOnWriteArrayList<>();
    private final CompletableFuture<VmStatus> ended = new CompletableFuture<>();

    VmControllerTest() {
        controller.addListener(s -> {
            seen.add(s.state());
            if (s.state().terminal()) {
                ended.complete(s);
            }
        });
    }

    @AfterEach
    void close() {
        controller.close();
    }

    static MachineConfig config(BootSource boot) {
        return new MachineConfig("vm-1", "pseries", 1, List.of(new MemoryNode(0, 0, 256L << 20, List.of())),
                NumaProperties.NONE, boot);
    }

    private VmStatus awaitEnd() throws Exception {
        return ended.get(60, TimeUnit.SECONDS);
    }

    @Test
    void helloRunsToShutoff() throws Exception {
        assertThat(controller.status().state()).isEqualTo(VmState.NOT_CREATED);
        assertThat(controller.execute(new VmAction.Create(config(new BootSource.Builtin(BuiltinGuest.HELLO)))).state())
                .isEqualTo(VmState.DEFINED);
        assertThat(controller.execute(new VmAction.Start()).state()).isIn(VmState.RUNNING, VmState.SHUTOFF);
        VmStatus end = awaitEnd();
        assertThat(end.state()).isEqualTo(VmState.SHUTOFF);
        assertThat(end.reason()).isEqualTo("guest powered off");
        assertThat(end.instructions()).isPositive();
        assertThat(seen).containsExactly(VmState.NOT_CREATED, VmState.DEFINED, VmState.STARTING, VmState.RUNNING,
                VmState.SHUTOFF);
        assertThat(console.text()).startsWith("Hello from a pvm POWER guest (ppc64le)");
        assertThat(console.closed()).isTrue();
        assertThat(controller.execute(new VmAction.Shutdown(false)).state()).as("no change once ended")
                .isEqualTo(VmState.SHUTOFF);
    }

    @Test
    void refusesActionsTheStateDoesNotAllow() {
        assertThatThrownBy(() -> controller.execute(new VmAction.Start()))
                .isInstanceOfSatisfying(VmStateException.class, e -> assertThat(e.state()).isEqualTo(VmState.NOT_CREATED))
                .hasMessage("Start needs the VM DEFINED, but it is not created yet");
        controller.execute(new VmAction.Create(config(new BootSource.Builtin(BuiltinGuest.HELLO))));
        assertThatThrownBy(() -> controller.execute(new VmAction.Create(config(new BootSource.Builtin(BuiltinGuest.HELLO)))))
                .hasMessage("Create needs the VM not created yet, but it is DEFINED");
        assertThatThrownBy(() -> controller.execute(new VmAction.Pause())).isInstanceOf(VmStateException.class);
        assertThatThrownBy(() -> controller.execute(new VmAction.Resume())).isInstanceOf(VmStateException.class);
    }

    @Test
    void pausesResumesAndStopsARunningGuest(@TempDir Path dir) throws Exception {
        controller.execute(new VmAction.Create(config(new BootSource.Kernel(TestElf.spinningKernel(dir), Optional.empty(), ""))));
        controller.execute(new VmAction.Start());
        VmStatus paused = controller.execute(new VmAction.Pause());
        assertThat(paused.state()).isEqualTo(VmState.PAUSED);
        assertThat(controller.status().instructions()).as("a parked vCPU runs nothing")
                .isEqualTo(paused.instructions());
        assertThat(controller.execute(new VmAction.Resume()).state()).isEqualTo(VmState.RUNNING);
        VmStatus stopped = controller.execute(new VmAction.Shutdown(true));
        assertThat(stopped.state()).isEqualTo(VmState.SHUTOFF);
        assertThat(stopped.reason()).isEqualTo("stopped by request (forced)");
        assertThat(awaitEnd()).isEqualTo(stopped);
    }

    @Test
    void guestFailureEndsInFailedWithTheReason(@TempDir Path dir) throws Exception {
        Path k = dir.resolve("bad");
        Files.write(k, TestElf.executable(ByteOrder.BIG_ENDIAN, 0, 0, 0, new byte[4], 4));
        controller.execute(new VmAction.Create(config(new BootSource.Kernel(k, Optional.empty(), ""))));
        controller.execute(new VmAction.Start());
        VmStatus end = awaitEnd();
        assertThat(end.state()).isEqualTo(VmState.FAILED);
        assertThat(end.reason()).isEqualTo("vCPU 0: program interrupt: illegal instruction at 0x0: 0x00000000 (.long "
                + "0x0), and the guest has no handler for it (program interrupt: illegal instruction at 0x700: "
                + "0x00000000 (.long 0x0), at the entry of vector 0x700)");
    }

    @Test
    void shutdownBeforeCreateEndsTheEngine() throws Exception {
        VmStatus s = controller.execute(new VmAction.Shutdown(false));
        assertThat(s.state()).isEqualTo(VmState.SHUTOFF);
        assertThat(s.reason()).isEqualTo("no VM was created");
        assertThat(awaitEnd()).isEqualTo(s);
    }
}
