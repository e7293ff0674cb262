package dev.pvm.engine.cli;

import dev.pvm.engine.loader.BuiltinGuest;
import dev.pvm.engine.machine.BootSource;
import dev.pvm.engine.machine.InvalidVmConfigException;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MemoryNode;
import dev.pvm.engine.machine.NumaProperties;
import dev.pvm.engine.machine.RunOutcome;
import dev.pvm.engine.machine.spapr.SpaprMachine;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run-builtin NAME}: runs a built-in guest straight to the terminal, without gRPC (debugging). Exit code
 * 0 when the guest powers off, 1 when it fails (the reason goes to stderr), 2 for bad arguments.
 */
@Command(name = "run-builtin", mixinStandardHelpOptions = true,
        description = "Run a built-in guest with its console on this terminal.")
public final class RunBuiltinCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "The guest: hello (little-endian) or hello-be (big-endian).")
    String name;

    @Option(names = "--memory-mib", defaultValue = "256", description = "Guest RAM in MiB (default 256).")
    long memoryMib;

    @Option(names = "--vcpus", defaultValue = "1", description = "vCPUs (default 1; only the boot vCPU runs).")
    int vcpus;

    @Option(names = "--dtb", description = "Also write the device tree the guest got to this file.")
    Path dtb;

    @Option(names = "--max-instructions", defaultValue = "0",
            description = "Stop with a failure after this many instructions (default 0: no limit).")
    long maxInstructions;

    /** Where the guest's console goes; the terminal unless a test replaces it. */
    PrintStream console = System.out;
    /** Where our own messages go. */
    PrintStream diagnostics = System.err;

    @Override
    public Integer call() throws Exception {
        PrintStream out = console;
        PrintStream err = diagnostics;
        BuiltinGuest guest = BuiltinGuest.byName(name).orElse(null);
        if (guest == null) {
            err.println("pvm-engine: no built-in guest '" + name + "' (known: "
                    + Arrays.stream(BuiltinGuest.values()).map(BuiltinGuest::specName).toList() + ")");
            return 2;
        }
        MachineConfig config;
        try {
            config = new MachineConfig("run-builtin", "pseries", vcpus,
                    List.of(new MemoryNode(0, 0, memoryMib << 20, List.of())), NumaProperties.NONE,
                    new BootSource.Builtin(guest));
        } catch (InvalidVmConfigException e) {
            err.println("pvm-engine: " + e.getMessage());
            return 2;
        }
        try (SpaprMachine machine = SpaprMachine.create(config, (b, off, len) -> {
            out.write(b, off, len);
            out.flush();
        }, Clock.systemUTC())) {
            if (dtb != null) {
                Files.write(dtb, machine.deviceTree());
            }
            while (true) {
                long slice = 1 << 20;
                if (maxInstructions > 0) {
                    long left = maxInstructions - machine.instructions();
                    if (left <= 0) {
                        err.println("pvm-engine: stopped after " + machine.instructions() + " instructions");
                        return 1;
                    }
                    slice = Math.min(slice, left);
                }
                RunOutcome o = machine.run(slice);
                switch (o) {
                    case RunOutcome.PoweredOff p -> {
                        err.println("pvm-engine: guest powered off after " + machine.instructions()
                                + " instructions");
                        return 0;
                    }
                    case RunOutcome.Failed f -> {
                        err.println("pvm-engine: guest failed: " + f.reason());
                        return 1;
                    }
                    case RunOutcome.Continue c -> {
                        // the next slice
                    }
                }
            }
        }
    }
}
