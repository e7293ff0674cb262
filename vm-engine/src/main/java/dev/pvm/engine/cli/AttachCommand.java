package dev.pvm.engine.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code attach VM_ID}: this terminal on a VM's console through the gateway's WebSocket
 * ({@code /api/v1/vms/{id}/console/stream}): what the guest prints (history first) on stdout, stdin typed into
 * the guest. Ends when the gateway closes the stream (the VM's run ended): status 0 on a normal close, 1 on any
 * other close or a broken connection, 2 when the gateway cannot be reached or does not know the VM.
 */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = "Attach this terminal to a VM's console through the gateway (WebSocket).")
public final class AttachCommand implements Callable<Integer> {

    /** RFC 6455 7.4.1: the normal closure code. */
    private static final int NORMAL_CLOSURE = 1000;

    @Parameters(index = "0", paramLabel = "VM_ID", description = "The VM's id (from the REST API).")
    String vmId;

    @Option(names = "--gateway", defaultValue = "${env:PVM_GATEWAY_URL:-http://127.0.0.1:8080}",
            description = "The gateway's base URL (default: $PVM_GATEWAY_URL or http://127.0.0.1:8080).")
    URI gateway;

    OutputStream console = System.out;
    InputStream input = System.in;
    PrintStream diagnostics = System.err;

    @Override
    public Integer call() {
        URI stream;
        try {
            String scheme = switch (gateway.getScheme() == null ? "" : gateway.getScheme()) {
                case "http" -> "ws";
                case "https" -> "wss";
                default -> throw new IllegalArgumentException("--gateway must be an http or https URL, got "
                        + gateway);
            };
            stream = new URI(scheme, gateway.getAuthority(), "/api/v1/vms/" + vmId + "/console/stream", null,
                    null);
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            diagnostics.println("pvm-engine attach: " + e.getMessage());
            return 2;
        }
        CompletableFuture<Integer> ended = new CompletableFuture<>();
        WebSocket socket;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            try {
                socket = http.newWebSocketBuilder().buildAsync(stream, new Printer(ended)).join();
            } catch (CompletionException e) {
                String why = e.getCause() instanceof WebSocketHandshakeException h
                        ? "the gateway answered HTTP " + h.getResponse().statusCode()
                                + (h.getResponse().statusCode() == 404 ? " (no VM " + vmId + ")" : "")
                        : String.valueOf(e.getCause());
                diagnostics.println("pvm-engine attach: cannot attach to " + stream + ": " + why);
                return 2;
            }
            startInput(socket);
            return ended.join();
        }
    }

    /** Copies stdin to the socket as binary messages (the gateway types them on the console). */
    private void startInput(WebSocket socket) {
        Thread.ofPlatform().name("attach-input").daemon(true).start(() -> {
            byte[] buffer = new byte[256];
            try {
                int n;
                while ((n = input.read(buffer)) > 0) {
                    socket.sendBinary(ByteBuffer.wrap(Arrays.copyOf(buffer, n)), true).join();
                }
            } catch (IOException | CompletionException e) {
                // The socket closed under us or stdin failed: the close (if any) ends the command.
            }
        });
    }

    /** Writes what arrives to the console; completes {@code ended} with the exit status on close. */
    private final class Printer implements WebSocket.Listener {
        private final CompletableFuture<Integer> ended;

        Printer(CompletableFuture<Integer> ended) {
            this.ended = ended;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            write(data.toString().getBytes(StandardCharsets.UTF_8));
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            write(bytes);
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            if (statusCode != NORMAL_CLOSURE) {
                diagnostics.println("pvm-engine attach: the gateway closed the console (" + statusCode
                        + (reason.isEmpty() ? "" : ": " + reason) + ")");
            }
            ended.complete(statusCode == NORMAL_CLOSURE ? 0 : 1);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            diagnostics.println("pvm-engine attach: console connection lost: " + error);
            ended.complete(1);
        }

        private void write(byte[] bytes) {
            try {
                console.write(bytes);
                console.flush();
            } catch (IOException e) {
                ended.complete(1);
            }
        }
    }
}
