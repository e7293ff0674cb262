package dev.pvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.translate.ExecutionMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    @Test
    void theCommonCommandLinesParseAsPicocliParsesThem() {
        List<List<String>> lines = List.of(
                List.of("/bin/true"),
                List.of("--", "/bin/busybox", "echo", "hi"),
                List.of("--interp", "--trace", "/bin/busybox", "sh", "-c", "echo --trace"),
                List.of("--lockstep", "--", "--interp"),
                List.of("/bin/busybox", "echo", "--", "x", "@args", "-h"),
                List.of("--trace", "--lockstep", "--", "prog", "--"),
                List.of(""));
        for (List<String> line : lines) {
            UserCommand fast = UserCommand.parseCommon(line);
            UserCommand picocli = new UserCommand();
            new CommandLine(picocli).setStopAtPositional(true).setExpandAtFiles(false)
                    .parseArgs(line.toArray(String[]::new));
            assertThat(fast).as("%s", line).isNotNull();
            assertThat(List.of(fast.interp, fast.lockstep, fast.trace, fast.program, fast.arguments)).as("%s", line)
                    .isEqualTo(List.of(picocli.interp, picocli.lockstep, picocli.trace, picocli.program,
                            picocli.arguments));
        }
    }

    @Test
    void helpVersionUnknownOrRepeatedOptionsAndAMissingProgramGoToPicocli() {
        for (List<String> line : List.<List<String>>of(List.of(), List.of("--help"), List.of("-h", "/bin/true"), List.of("-V"),
                List.of("--interp"), List.of("--"), List.of("--bogus", "/bin/true"), List.of("--trace", "--trace",
                        "/bin/true"), List.of("--interp=true", "/bin/true"), List.of("-", "x"))) {
            assertThat(UserCommand.parseCommon(line)).as("%s", line).isNull();
        }
    }
}
