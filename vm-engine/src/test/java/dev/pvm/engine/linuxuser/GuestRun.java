package dev.pvm.engine.linuxuser;

import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.cpu.translate.TranslatorExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a guest program the way the corpus README says every runner must (stdin from /dev/null, the environment
 * reduced to PVM_TEST=hello, argv[0] = the binary's path), either under the engine's {@code user} command in a
 * child JVM (the guest writes to file descriptor 1, which must not be the test JVM's, and changes process state
 * such as the working directory and umask) or under QEMU.
 */
record GuestRun(byte[] stdout, String stderr, int exitStatus) {

    private static final long TIMEOUT_SECONDS = 120;

    /** Under {@code pvm-engine user} in {@code mode}, in the test's working directory. */
    static GuestRun pvm(ExecutionMode mode, Path program, List<String> args, Path scratch)
            throws IOException, InterruptedException {
        return pvm(mode, program, args, scratch, null, null);
    }

    /**
     * Under {@code pvm-engine user} in {@code mode}.
     *
     * @param directory the working directory, or null for the test's
     * @param stdin     the file standard input reads, or null for /dev/null
     */
    static GuestRun pvm(ExecutionMode mode, Path program, List<String> args, Path scratch, Path directory,
            Path stdin) throws IOException, InterruptedException {
        return pvm(mode, List.of(), program, args, scratch, directory, stdin);
    }

    /**
     * Translator mode with every unit translated on its first entry (no decoded tier): the program corpus's
     * oracle for the translator itself.
     */
    static GuestRun pvmTranslatingEverything(Path program, List<String> args, Path scratch)
            throws IOException, InterruptedException {
        return pvm(ExecutionMode.TRANSLATOR, List.of("-D" + TranslatorExecutor.TRANSLATE_AFTER_PROPERTY + "=0"),
                program, args, scratch, null, null);
    }

    private static GuestRun pvm(ExecutionMode mode, List<String> jvmOptions, Path program, List<String> args,
            Path scratch, Path directory, Path stdin) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        if (mode != ExecutionMode.LOCKSTEP) {
            // As pvm starts the engine: raw host accesses in translated code. Lockstep runs keep the
            // MemorySegment accesses, so both forms of the fast path are checked against the interpreter.
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.pvm.engine.EngineMain", "user"));
        switch (mode) {
            case INTERPRETER -> command.add("--interp");
            case LOCKSTEP -> command.add("--lockstep");
            case TRANSLATOR -> {
                // the default
            }
        }
        command.add("--");
        command.add(program.toString());
        command.addAll(args);
        return run(command, scratch, directory, stdin);
    }

    /** Under {@code qemu-ppc64le} or {@code qemu-ppc64}. */
    static GuestRun qemu(String qemu, Path program, List<String> args, Path scratch)
            throws IOException, InterruptedException {
        return qemu(qemu, program, args, scratch, null, null);
    }

    /** Under {@code qemu-ppc64le} or {@code qemu-ppc64}, with a working directory and standard input as for pvm. */
    static GuestRun qemu(String qemu, Path program, List<String> args, Path scratch, Path directory, Path stdin)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(onPath(qemu).toString(), program.toString()));
        command.addAll(args);
        return run(command, scratch, directory, stdin);
    }

    /** The absolute path of a tool (the child's environment has no PATH, as the guest's must not). */
    static Path onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(tool + " is not on the PATH");
    }

    private static GuestRun run(List<String> command, Path scratch, Path directory, Path stdin)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "stdout", ".txt");
        Path err = Files.createTempFile(scratch, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from((stdin != null ? stdin : Path.of("/dev/null")).toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        pb.environment().clear();
        pb.environment().put("PVM_TEST", "hello");
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", command));
        }
        return new GuestRun(Files.readAllBytes(out), Files.readString(err), p.exitValue());
    }
}
