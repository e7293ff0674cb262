package dev.pvm.engine.cli;

import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.cpu.translate.LockstepDivergenceException;
import dev.pvm.engine.linuxuser.UserModeRunner;
import dev.pvm.engine.loader.ElfFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code user [--interp] [--lockstep] [--trace] [--] PROGRAM [ARGS...]}: runs a static ppc64 Linux executable
 * (ELFv2 little-endian or ELFv1 big-endian) in user mode, as {@code qemu-ppc64le} does. The program's exit
 * status is this command's; 128 + N when signal N killed it; 127 when the program cannot be started; 125 when
 * {@code --lockstep} found translator and interpreter disagreeing (the divergence is printed on stderr).
 * Guest code is translated by default.
 * Options end at the program's name (the command line registers this command with stop-at-positional).
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Run a static ppc64 Linux program (user mode, like qemu-ppc64le).")
public final class UserCommand implements Callable<Integer> {

    @Option(names = "--interp", description = "Run the reference interpreter only (the default translates).")
    boolean interp;

    @Option(names = "--lockstep", description = "Run translator and interpreter side by side; report the first "
            + "divergence.")
    boolean lockstep;

    @Option(names = "--trace", description = "Log every instruction on stderr: address, word, disassembly and the "
            + "registers it changed.")
    boolean trace;

    @Parameters(index = "0", description = "The program (a static ppc64 ELF executable).")
    Path program;

    @Parameters(index = "1..*", description = "Its arguments.")
    List<String> arguments = new ArrayList<>();

    /** Where our own messages go. */
    PrintStream diagnostics = System.err;

    ExecutionMode mode() {
        if (lockstep) {
            return ExecutionMode.LOCKSTEP;
        }
        return interp ? ExecutionMode.INTERPRETER : ExecutionMode.TRANSLATOR;
    }

    @Override
    public Integer call() {
        if (interp && lockstep) {
            diagnostics.println("pvm-engine user: --interp and --lockstep exclude each other");
            return 2;
        }
        if (!Files.isRegularFile(program)) {
            diagnostics.println("pvm-engine user: " + program + ": no such file");
            return 127;
        }
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.addAll(arguments);
        List<String> envp = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            envp.add(e.getKey() + "=" + e.getValue());
        }
        try (UserModeRunner runner = new UserModeRunner(program, argv, envp,
                new UserModeRunner.Options(mode(), trace, diagnostics))) {
            return runner.run();
        } catch (LockstepDivergenceException e) {
            diagnostics.println("pvm-engine user: lockstep: " + e.getMessage());
            return 125;
        } catch (ElfFormatException e) {
            diagnostics.println("pvm-engine user: " + program + ": " + e.getMessage());
            return 127;
        } catch (IOException e) {
            diagnostics.println("pvm-engine user: " + program + ": " + e.getMessage());
            return 127;
        }
    }
}
