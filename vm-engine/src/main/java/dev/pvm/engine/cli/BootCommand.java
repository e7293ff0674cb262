package dev.pvm.engine.cli;

import dev.pvm.engine.control.VcpuThreads;
import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.loader.BuiltinGuest;
import dev.pvm.engine.machine.BootSource;
import dev.pvm.engine.machine.InvalidVmConfigException;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MmuMode;
import dev.pvm.engine.machine.RunOutcome;
import dev.pvm.engine.machine.spapr.SpaprMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code boot}: boots a kernel straight onto this terminal, as {@code qemu-system-ppc64 -M pseries -nographic
 * -kernel ... -initrd ... -append ...} does: the console (hvc0) on stdout as raw bytes, stdin typed into it, our
 * own messages on stderr. Exit status: {@link #POWERED_OFF}, {@link #GUEST_FAILED} (with the failure report on
 * stderr), {@link #BAD_ARGUMENTS}, {@link #TIMED_OUT}, {@link #ENGINE_ERROR}.
 */
@Command(name = "boot", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Boot a kernel (ELF vmlinux) on a pseries machine with its console on this terminal.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the guest powered off", "1:the guest failed (report on stderr)",
            "2:bad arguments or a configuration the engine cannot build", "70:an engine error",
            "124:--max-seconds passed"})
public final class BootCommand implements Callable<Integer> {

    public static final int POWERED_OFF = 0;
    public static final int GUEST_FAILED = 1;
    public static final int BAD_ARGUMENTS = 2;
    public static final int ENGINE_ERROR = 70;
    public static final int TIMED_OUT = 124;

    /** The engine's loggers' parent (java.util.logging holds loggers weakly: keep this one). */
    private static final Logger ENGINE_LOG = Logger.getLogger("dev.pvm.engine");

    /** Instructions per run slice: the deadline is checked between slices. */
    private static final long SLICE = 1 << 20;

    static final class Image {
        @Option(names = "--kernel", paramLabel = "FILE", required = true,
                description = "The kernel: an ELF vmlinux (entered kexec-style with the device tree in r3).")
        Path kernel;

        @Option(names = "--builtin", paramLabel = "NAME", required = true,
                description = "A guest built into the engine instead: hello or hello-be.")
        String builtin;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Image image;

    @Option(names = "--initrd", paramLabel = "FILE", description = "Initial ramdisk, placed after the kernel.")
    Path initrd;

    @Option(names = "--append", paramLabel = "CMDLINE", defaultValue = "console=hvc0",
            description = "Kernel command line (/chosen/bootargs; default: ${DEFAULT-VALUE}).")
    String cmdline;

    @Option(names = "--memory-mib", defaultValue = "1024",
            description = "Guest RAM in MiB, a multiple of 256 (default ${DEFAULT-VALUE}).")
    long memoryMib;

    @Option(names = "--vcpus", defaultValue = "1", description = "vCPUs (default ${DEFAULT-VALUE}).")
    int vcpus;

    @Option(names = "--numa-nodes", paramLabel = "N", defaultValue = "0",
            description = "Split RAM and vCPUs evenly over N NUMA nodes, with the associativity the machine "
                    + "version gives (default: one implicit node).")
    int numaNodes;

    @Option(names = "--machine", defaultValue = "pseries",
            description = "pseries-X.Y, or pseries for the newest (pseries-" + PseriesNumaLayout.NEWEST + ").")
    String machine;

    @Option(names = "--mmu", defaultValue = "radix", description = "radix (POWER9's default) or hash.")
    String mmu;

    @Option(names = "--cpu-mode", defaultValue = "translator",
            description = "interpreter, translator (default) or lockstep.")
    String cpuMode;

    @Option(names = "--dtb", paramLabel = "FILE", description = "Also write the device tree the guest gets here.")
    Path dtb;

    @Option(names = "--verbose", description = "Also show the engine's informational log lines on stderr.")
    boolean verbose;

    @Option(names = "--max-seconds", defaultValue = "0",
            description = "Give up after this many seconds of wall time, exit status 124 (default 0: no limit).")
    double maxSeconds;

    @Option(names = "--stats", description = "When the run ends, print what the machine counted on stderr: units "
            + "translated and entered, interrupts by kind, hypercalls, TLB fills, idle time, where the guest spent its "
            + "instructions (with -Dpvm.translator.stats=true also the translator's dispatch and fallback counts).")
    boolean stats;

    /** The guest's console output; the terminal unless a test replaces it. */
    OutputStream console = System.out;
    /** What is typed into the guest's console. */
    InputStream input = System.in;
    /** Where our own messages go. */
    PrintStream diagnostics = System.err;
    /** The clock RTAS get-time-of-day starts from. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        // Quiet by default: the failure report below says what the machine's log line would, with the registers.
        Level level = ENGINE_LOG.getLevel();
        if (!verbose) {
            ENGINE_LOG.setLevel(Level.WARNING);
        }
        try {
            return boot();
        } finally {
            ENGINE_LOG.setLevel(level);
        }
    }

    private int boot() {
        long started = System.nanoTime();
        MachineConfig config;
        ExecutionMode mode;
        try {
            mode = ExecutionMode.parse(cpuMode);
            config = config();
        } catch (IllegalArgumentException e) {
            diagnostics.println("pvm-engine boot: " + e.getMessage());
            return BAD_ARGUMENTS;
        } catch (InvalidVmConfigException e) {
            diagnostics.println("pvm-engine boot: " + describeField(e.field()) + ": " + e.detail());
            return BAD_ARGUMENTS;
        }
        SpaprMachine machine;
        try {
            machine = SpaprMachine.create(config, this::print, clock, mode);
        } catch (InvalidVmConfigException e) {
            diagnostics.println("pvm-engine boot: " + describeField(e.field()) + ": " + e.detail());
            return BAD_ARGUMENTS;
        }
        try (machine) {
            if (dtb != null) {
                Files.write(dtb, machine.deviceTree());
            }
            diagnostics.println("pvm-engine boot: " + summary(config, mode));
            startInput(machine);
            int status = run(machine, started);
            if (stats) {
                diagnostics.print(machine.statistics());
            }
            return status;
        } catch (IOException e) {
            diagnostics.println("pvm-engine boot: cannot write the device tree to " + dtb + ": " + e.getMessage());
            return BAD_ARGUMENTS;
        }
    }

    private MachineConfig config() {
        if (vcpus < 1) {
            throw new IllegalArgumentException("--vcpus must be at least 1, got " + vcpus);
        }
        if (maxSeconds < 0) {
            throw new IllegalArgumentException("--max-seconds must not be negative, got " + maxSeconds);
        }
        MmuMode mmuMode = switch (mmu.toLowerCase(Locale.ROOT)) {
            case "radix" -> MmuMode.RADIX;
            case "hash" -> MmuMode.HASH;
            default -> throw new IllegalArgumentException("--mmu must be radix or hash, got '" + mmu + "'");
        };
        PseriesNumaLayout layout = PseriesNumaLayout.of(machine, vcpus, memoryMib, numaNodes);
        return new MachineConfig("boot", machine, vcpus, layout.memory, layout.numa, bootSource(), mmuMode);
    }

    private BootSource bootSource() {
        if (image.builtin != null) {
            if (initrd != null) {
                throw new IllegalArgumentException("--initrd goes with --kernel, not --builtin");
            }
            return BuiltinGuest.byName(image.builtin).<BootSource>map(BootSource.Builtin::new).orElseThrow(() ->
                    new IllegalArgumentException("no built-in guest '" + image.builtin + "' (known: "
                            + Arrays.stream(BuiltinGuest.values()).map(BuiltinGuest::specName).toList() + ")"));
        }
        return new BootSource.Kernel(readable("--kernel", image.kernel),
                initrd == null ? Optional.empty() : Optional.of(readable("--initrd", initrd)), cmdline);
    }

    private static Path readable(String option, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(option + " " + file + ": not readable");
        }
        return file.toAbsolutePath();
    }

    /** The machine's field names (spec.boot.kernel.kernel_path) as this command's options. */
    private static String describeField(String field) {
        return switch (field) {
            case "spec.boot.kernel.kernel_path" -> "--kernel";
            case "spec.boot.kernel.initrd_path" -> "--initrd";
            case "spec.memory_mib" -> "--memory-mib";
            case "spec.vcpus" -> "--vcpus";
            case "spec.machine" -> "--machine";
            default -> field;
        };
    }

    private String summary(MachineConfig config, ExecutionMode mode) {
        String what = switch (config.boot()) {
            case BootSource.Builtin b -> "built-in guest " + b.guest().specName();
            case BootSource.Kernel k -> "kernel " + k.kernel() + k.initrd().map(i -> ", initrd " + i).orElse("")
                    + ", cmdline '" + k.cmdline() + "'";
        };
        return String.format("%s, %d vCPU(s), %d MiB in %d NUMA node(s), %s MMU, %s; %s", machine, vcpus, memoryMib,
                config.memory().size(), config.mmu().name().toLowerCase(Locale.ROOT),
                mode.name().toLowerCase(Locale.ROOT), what);
    }

    private int run(SpaprMachine machine, long started) {
        long deadline = maxSeconds > 0 ? started + (long) (maxSeconds * 1e9) : Long.MAX_VALUE;
        if (vcpus > 1) {
            return runOnThreads(machine, started, deadline);
        }
        while (true) {
            if (System.nanoTime() - deadline >= 0) {
                diagnostics.printf("pvm-engine boot: timed out after %.1f s (--max-seconds) and %d instructions%n",
                        seconds(started), machine.instructions());
                // Where the guest was (a spinning kernel shows its loop here).
                printRegisters(machine);
                return TIMED_OUT;
            }
            RunOutcome outcome;
            try {
                outcome = machine.run(SLICE);
            } catch (RuntimeException | StackOverflowError e) {
                diagnostics.println("pvm-engine boot: engine error after " + machine.instructions()
                        + " instructions: " + e);
                e.printStackTrace(diagnostics);
                return ENGINE_ERROR;
            }
            switch (outcome) {
                case RunOutcome.PoweredOff p -> {
                    diagnostics.printf("pvm-engine boot: guest powered off after %.2f s and %d instructions%n",
                            seconds(started), machine.instructions());
                    return POWERED_OFF;
                }
                case RunOutcome.Failed f -> {
                    diagnostics.printf("pvm-engine boot: guest failed after %.2f s and %d instructions: %s%n",
                            seconds(started), machine.instructions(), f.reason());
                    printRegisters(machine);
                    return GUEST_FAILED;
                }
                case RunOutcome.Continue c -> {
                    // the next slice
                }
            }
        }
    }

    /** SMP: a thread per vCPU, as the VM controller runs them (and as QEMU's MTTCG does). */
    private int runOnThreads(SpaprMachine machine, long started, long deadline) {
        RunOutcome outcome = null;
        try (VcpuThreads threads = VcpuThreads.start(machine)) {
            while (outcome == null && System.nanoTime() - deadline < 0) {
                outcome = threads.await(Math.min(deadline - System.nanoTime(), 100_000_000L));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return switch (outcome) {
            case null -> {
                diagnostics.printf("pvm-engine boot: timed out after %.1f s (--max-seconds) and %d instructions%n",
                        seconds(started), machine.instructions());
                printRegisters(machine);
                yield TIMED_OUT;
            }
            case RunOutcome.PoweredOff p -> {
                diagnostics.printf("pvm-engine boot: guest powered off after %.2f s and %d instructions%n",
                        seconds(started), machine.instructions());
                yield POWERED_OFF;
            }
            case RunOutcome.Failed f -> {
                diagnostics.printf("pvm-engine boot: guest failed after %.2f s and %d instructions: %s%n",
                        seconds(started), machine.instructions(), f.reason());
                printRegisters(machine);
                yield GUEST_FAILED;
            }
            case RunOutcome.Continue c -> throw new IllegalStateException("a vCPU thread never ends with Continue");
        };
    }

    private void printRegisters(SpaprMachine machine) {
        for (int i = 0; i < vcpus; i++) {
            diagnostics.print("vCPU " + i + " registers:" + System.lineSeparator() + machine.cpu(i).summary());
            diagnostics.println("  at pc:   " + machine.describeInstruction(i, machine.cpu(i).cia));
            diagnostics.println("  at srr0: " + machine.describeInstruction(i, machine.cpu(i).srr0));
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private void print(byte[] bytes, int offset, int length) {
        try {
            console.write(bytes, offset, length);
            console.flush();
        } catch (IOException e) {
            // The terminal went away (a closed pipe); the guest keeps running, as it would behind a dead serial line.
        }
    }

    /** Copies stdin into the guest's console on a daemon thread until end of input. */
    private void startInput(SpaprMachine machine) {
        Thread.ofPlatform().name("console-input").daemon(true).start(() -> {
            byte[] buffer = new byte[256];
            try {
                int n;
                while ((n = input.read(buffer)) > 0) {
                    machine.console().feed(Arrays.copyOf(buffer, n));
                }
            } catch (IOException e) {
                diagnostics.println("pvm-engine boot: console input stopped: " + e.getMessage());
            }
        });
    }
}
