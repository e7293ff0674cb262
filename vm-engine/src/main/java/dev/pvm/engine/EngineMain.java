package dev.pvm.engine;

import dev.pvm.engine.cli.AttachCommand;
import dev.pvm.engine.cli.BootCommand;
import dev.pvm.engine.cli.RunBuiltinCommand;
import dev.pvm.engine.cli.ServeCommand;
import dev.pvm.engine.cli.UserCommand;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The vm-engine process: {@code serve} (the VmEngine gRPC API for one VM), {@code boot} (a kernel on the
 * terminal), {@code run-builtin} (a built-in guest on the terminal), {@code user} (a Linux program) or
 * {@code attach} (a VM's console through the gateway). Log lines go to stderr, one line each.
 */
@Command(name = "pvm-engine", mixinStandardHelpOptions = true, version = "pvm-engine 0.1.0",
        description = "One POWER (pseries) VM per process.",
        subcommands = {ServeCommand.class, BootCommand.class, RunBuiltinCommand.class, UserCommand.class,
            AttachCommand.class})
public final class EngineMain implements Runnable {

    /** One log line per record: time, level, logger, message (java.util.logging's SimpleFormatter). */
    static final String LOG_FORMAT = "%1$tF %1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        StartupPhases.mark("main");
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
        if (args.length > 0 && args[0].equals("user")) {
            UserCommand user = UserCommand.parseCommon(Arrays.asList(args).subList(1, args.length));
            if (user != null) {
                System.exit(runWithoutPicocli(user));
            }
        }
        CommandLine cli = new CommandLine(new EngineMain());
        // A guest program's arguments are its own, "@name" included (qemu-ppc64le reads no argument files).
        cli.setExpandAtFiles(false);
        // `user PROGRAM ARGS...`: the program's own options (sh -c ...) are not ours.
        cli.getSubcommands().get("user").setStopAtPositional(true);
        System.exit(cli.execute(args));
    }

    /** Runs {@code user} as picocli's {@code execute} would: an exception it lets out is printed, exit status 1. */
    private static int runWithoutPicocli(UserCommand user) {
        try {
            return user.call();
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: serve, boot, run-builtin, user or attach");
    }
}
