package dev.pvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.fdt.FdtReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunBuiltinCommandTest {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

    private int run(String... args) {
        RunBuiltinCommand command = new RunBuiltinCommand();
        command.console = new PrintStream(console, true, StandardCharsets.UTF_8);
        command.diagnostics = new PrintStream(diagnostics, true, StandardCharsets.UTF_8);
        return new CommandLine(command).execute(args);
    }

    @Test
    void runsTheGuestToPowerOff(@TempDir Path dir) throws Exception {
        Path dtb = dir.resolve("hello.dtb");
        assertThat(run("hello", "--memory-mib", "512", "--dtb", dtb.toString())).isZero();
        assertThat(console.toString(StandardCharsets.UTF_8)).startsWith("Hello from a pvm POWER guest (ppc64le)\r\n")
                .contains("512 MiB of memory");
        assertThat(diagnostics.toString(StandardCharsets.UTF_8)).contains("guest powered off after");
        assertThat(FdtReader.read(Files.readAllBytes(dtb)).require("/memory@0")).isNotNull();
    }

    @Test
    void badArgumentsExitTwo() {
        assertThat(run("nope")).isEqualTo(2);
        assertThat(diagnostics.toString(StandardCharsets.UTF_8)).contains("no built-in guest 'nope'");
        assertThat(run("hello", "--memory-mib", "0")).isEqualTo(2);
    }

    @Test
    void stopsAtTheInstructionLimit() {
        assertThat(run("hello", "--max-instructions", "1")).isEqualTo(1);
    }
}
