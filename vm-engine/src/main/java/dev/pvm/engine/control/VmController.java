package dev.pvm.engine.control;

import dev.pvm.engine.machine.RunOutcome;
import dev.pvm.engine.machine.spapr.SpaprMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Runs one VM: executes {@link VmAction}s one at a time on a single control thread, owns the machine and the
 * vCPU thread, and publishes every state change to its listeners. The API layer only translates requests into
 * actions and results back; no machine logic lives there.
 */
public final class VmController implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(VmController.class.getName());

    private final MachineFactory factory;
    private final ConsoleBuffer console;
    private final ExecutorService control;
    private final List<Consumer<VmStatus>> listeners = new CopyOnWriteArrayList<>();
    private volatile VmState state = VmState.NOT_CREATED;
    private volatile String reason = "";
    private volatile SpaprMachine machine;
    private final List<VcpuLoop> vcpus = new ArrayList<>();
    private final List<Thread> vcpuThreads = new ArrayList<>();

    public VmController(MachineFactory factory, ConsoleBuffer console) {
        this.factory = factory;
        this.console = console;
        this.control = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vm-control");
            t.setDaemon(true);
            return t;
        });
    }

    /** The console everything the guest prints goes to. */
    public ConsoleBuffer console() {
        return console;
    }

    /** The current state, reason and instruction count. */
    public VmStatus status() {
        SpaprMachine m = machine;
        return new VmStatus(state, reason, m == null ? 0 : m.instructions());
    }

    /** The machine once created (device tree, console input), else null. */
    public SpaprMachine machine() {
        return machine;
    }

    /**
     * Executes an action on the control thread and waits for it.
     *
     * @return the status after the action
     * @throws VmStateException when the action is not legal now; the machine's own exceptions pass through
     */
    public VmStatus execute(VmAction action) {
        CompletableFuture<VmStatus> done = CompletableFuture.supplyAsync(() -> apply(action), control);
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + action, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Calls {@code listener} with the current status and then with every change, on the control thread, until
     * {@link #removeListener}.
     */
    public void addListener(Consumer<VmStatus> listener) {
        control.execute(() -> {
            listeners.add(listener);
            listener.accept(status());
        });
    }

    public void removeListener(Consumer<VmStatus> listener) {
        listeners.remove(listener);
    }

    private VmStatus apply(VmAction action) {
        switch (action) {
            case VmAction.Create c -> {
                require(action, VmState.NOT_CREATED);
                machine = factory.create(c.config(), console);
                LOG.log(System.Logger.Level.INFO, () -> "VM " + c.config().vmId() + " created: "
                        + c.config().vcpus() + " vCPU(s), " + (c.config().memoryBytes() >> 20) + " MiB, boot "
                        + c.config().boot());
                change(VmState.DEFINED, "");
            }
            case VmAction.Start s -> {
                require(action, VmState.DEFINED);
                change(VmState.STARTING, "");
                // One thread per vCPU (SMP); the first to see the guest end reports it.
                for (int i = 0; i < machine.vcpuCount(); i++) {
                    VcpuLoop loop = new VcpuLoop(machine, i, outcome -> control.execute(() -> guestEnded(outcome)));
                    vcpus.add(loop);
                    vcpuThreads.add(Thread.ofPlatform().name("vcpu-" + i).daemon(true).start(loop));
                }
                change(VmState.RUNNING, "");
            }
            case VmAction.Pause p -> {
                require(action, VmState.RUNNING);
                try {
                    boolean parked = true;
                    for (VcpuLoop loop : vcpus) {
                        parked &= loop.pause();
                    }
                    if (parked) {
                        change(VmState.PAUSED, "");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case VmAction.Resume r -> {
                require(action, VmState.PAUSED);
                vcpus.forEach(VcpuLoop::resume);
                change(VmState.RUNNING, "");
            }
            case VmAction.Shutdown sd -> {
                if (!state.terminal()) {
                    stopVcpu();
                    finish(VmState.SHUTOFF, state == VmState.NOT_CREATED ? "no VM was created"
                            : sd.force() ? "stopped by request (forced)" : "stopped by request");
                }
            }
        }
        return status();
    }

    private void require(VmAction action, VmState wanted) {
        if (state != wanted) {
            throw new VmStateException(state, actionName(action) + " needs the VM " + describe(wanted)
                    + ", but it is " + describe(state));
        }
    }

    private static String actionName(VmAction action) {
        return action.getClass().getSimpleName();
    }

    private static String describe(VmState s) {
        return s == VmState.NOT_CREATED ? "not created yet" : s.name();
    }

    /** On the control thread: the vCPU loop ended by itself. */
    private void guestEnded(RunOutcome outcome) {
        if (state.terminal()) {
            return;
        }
        stopVcpu();
        switch (outcome) {
            case RunOutcome.PoweredOff p -> finish(VmState.SHUTOFF, "guest powered off");
            case RunOutcome.Failed f -> finish(VmState.FAILED, f.reason());
            case RunOutcome.Continue c -> throw new IllegalStateException("a vCPU loop never ends with Continue");
        }
    }

    private void stopVcpu() {
        vcpus.forEach(VcpuLoop::stop);
        joinVcpu();
    }

    private void joinVcpu() {
        for (Thread t : vcpuThreads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void finish(VmState end, String why) {
        LOG.log(end == VmState.FAILED ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                () -> "VM " + end + ": " + why);
        console.close();
        change(end, why);
    }

    private void change(VmState next, String why) {
        state = next;
        reason = why;
        VmStatus s = status();
        for (Consumer<VmStatus> l : listeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "status listener failed", e);
            }
        }
    }

    /** Stops the vCPU, frees the machine and the control thread. */
    @Override
    public void close() {
        try {
            control.submit(() -> {
                stopVcpu();
                SpaprMachine m = machine;
                if (m != null) {
                    m.close();
                }
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the VM failed", e.getCause());
        } finally {
            control.shutdown();
        }
    }
}
