package dev.pvm.engine.linuxuser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a guest program the way the corpus README says every runner must (stdin from /dev/null, the environment
 * reduced to PVM_TEST=hello, argv[0] = the binary's path), either under the engine's {@code user} command in a
 * child JVM (the guest writes to file descriptor 1, which must not be the test JVM's) or under QEMU.
 */
record GuestRun(byte[] stdout, String stderr, int exitStatus) {

    private static final long TIMEOUT_SECONDS = 120;

    /** Under {@code pvm-engine user --interp}. */
    static GuestRun pvm(Path program, List<String> args, Path scratch) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.pvm.engine.EngineMain", "user", "--interp", "--",
                program.toString()));
        command.addAll(args);
        return run(command, scratch);
    }

    /** Under {@code qemu-ppc64le} or {@code qemu-ppc64}. */
    static GuestRun qemu(String qemu, Path program, List<String> args, Path scratch)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(onPath(qemu).toString(), program.toString()));
        command.addAll(args);
        return run(command, scratch);
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

    private static GuestRun run(List<String> command, Path scratch) throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "stdout", ".txt");
        Path err = Files.createTempFile(scratch, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of(
                "/dev/null").toFile())).redirectOutput(out.toFile()).redirectError(err.toFile());
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
