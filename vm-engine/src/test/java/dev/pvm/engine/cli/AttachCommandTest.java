package dev.pvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The attach command's own failures; attaching to a live console is covered end to end (VmLifecycleIT). */
class AttachCommandTest {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

    private int attach(String... args) {
        AttachCommand command = new AttachCommand();
        command.console = console;
        command.input = new ByteArrayInputStream(new byte[0]);
        command.diagnostics = new PrintStream(diagnostics, true, StandardCharsets.UTF_8);
        return new CommandLine(command).execute(args);
    }

    @Test
    void rejectsAGatewayThatIsNotHttp() {
        assertThat(attach("--gateway", "ftp://127.0.0.1", "some-id")).isEqualTo(2);
        assertThat(diagnostics.toString(StandardCharsets.UTF_8)).contains("--gateway must be an http or https URL");
    }

    @Test
    void saysWhenNoGatewayAnswers() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(attach("--gateway", "http://127.0.0.1:" + port, "some-id")).isEqualTo(2);
        assertThat(diagnostics.toString(StandardCharsets.UTF_8))
                .contains("cannot attach to ws://127.0.0.1:" + port + "/api/v1/vms/some-id/console/stream");
        assertThat(console.size()).isZero();
    }
}
