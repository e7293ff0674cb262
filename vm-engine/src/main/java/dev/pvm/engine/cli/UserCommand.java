package dev.pvm.engine.cli;

import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.cpu.translate.LockstepDivergenceException;
import dev.pvm.engine.linuxuser.UserModeRunner;
import dev.pvm.engine.loader.ElfFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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

    /**
     * This command as picocli's parser would fill it from {@code args} (what follows {@code user}), or null when
     * they need that parser and its messages: help and version, an unknown or repeated option, no program. The
     * engine's {@code main} runs the command lines this accepts without building picocli's model of the
     * engine's commands, which costs about half a second of CPU at every start (picocli reflects over each
     * command's classes and options). Like picocli's with stop-at-positional, options end at the program's name
     * or at {@code --}, and no argument is read as an {@code @file}.
     */
    public static UserCommand parseCommon(List<String> args) {
        UserCommand command = new UserCommand();
        int i = 0;
        options:
        for (; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--interp" -> {
                    if (command.interp) {
                        return null;
                    }
                    command.interp = true;
                }
                case "--lockstep" -> {
                    if (command.lockstep) {
                        return null;
                    }
                    command.lockstep = true;
                }
                case "--trace" -> {
                    if (command.trace) {
                        return null;
                    }
                    command.trace = true;
                }
                case "--" -> {
                    i++;
                    break options;
                }
                default -> {
                    if (arg.startsWith("-")) {
                        return null;
                    }
                    break options;
                }
            }
        }
        if (i >= args.size()) {
            return null;
        }
        try {
            command.program = Path.of(args.get(i));
        } catch (InvalidPathException e) {
            return null;
        }
        command.arguments = new ArrayList<>(args.subList(i + 1, args.size()));
        return command;
    }

    ExecutionMode mode() {
        if (lockstep) {
            return ExecutionMode.LOCKSTEP;
        }
        return interp ? ExecutionMode.INTERPRETER : ExecutionMode.TRANSLATOR;
    }

    @Override
    public Integer call() {
        dev.pvm.engine.StartupPhases.mark("user command parsed");
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
