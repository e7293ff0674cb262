package dev.pvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.translate.ExecutionMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class UserCommandTest {

    @Test
    void theTranslatorIsTheDefaultAndTheOptionsPickTheOthers() {
        UserCommand command = new UserCommand();
        new CommandLine(command).setStopAtPositional(true).parseArgs("/bin/true");
        assertThat(command.mode()).isEqualTo(ExecutionMode.TRANSLATOR);
        command = new UserCommand();
        new CommandLine(command).setStopAtPositional(true).parseArgs("--lockstep", "/bin/true");
        assertThat(command.mode()).isEqualTo(ExecutionMode.LOCKSTEP);
    }

    @Test
    void interpAndLockstepExcludeEachOther() {
        UserCommand command = new UserCommand();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.diagnostics = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new CommandLine(command).parseArgs("--interp", "--lockstep", "/bin/true");
        assertThat(command.call()).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("exclude each other");
    }

    @Test
    void optionsEndAtTheProgramName() {
        UserCommand command = new UserCommand();
        CommandLine cli = new CommandLine(command).setStopAtPositional(true);
        cli.parseArgs("--interp", "--", "/bin/busybox", "sh", "-c", "echo --trace");
        assertThat(command.interp).isTrue();
        assertThat(command.trace).isFalse();
        assertThat(command.program.toString()).isEqualTo("/bin/busybox");
        assertThat(command.arguments).containsExactly("sh", "-c", "echo --trace");
        assertThat(command.mode()).isEqualTo(ExecutionMode.INTERPRETER);
    }

    @Test
    void aMissingProgramExits127() {
        UserCommand command = new UserCommand();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.diagnostics = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new CommandLine(command).parseArgs("/nonexistent/program");
        assertThat(command.call()).isEqualTo(127);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("no such file");
    }
}
