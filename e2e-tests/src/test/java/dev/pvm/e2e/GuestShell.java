package dev.pvm.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A shell on a VM's console, driven through the gateway's WebSocket ({@code /api/v1/vms/{id}/console/stream}) as a
 * person at the terminal would: lines are typed, output is read back. Everything the console printed is kept in
 * one transcript; searches start at a cursor that only moves forward, so text from an earlier boot or command is
 * never mistaken for new output.
 *
 * <p>{@link #run} frames a command between two markers that the terminal's echo of the typed line cannot contain
 * (the line has {@code '##'B7}, the output {@code ##B7}), so the output between them is exactly the command's.
 * Every wait is bounded; a timeout or a closed console fails with the console's tail and the caller's context
 * (e.g. the gateway's log).
 */
final class GuestShell implements AutoCloseable {

    /** The prompt of the busybox shell initramfs that scripts/debian-guest.sh builds ({@code PS1='pvm# '}). */
    static final String PROMPT = "pvm# ";
    private static final int TAIL_CHARS = 3000;

    private final StringBuilder transcript = new StringBuilder();
    private final Supplier<String> context;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private WebSocket socket;
    private String closedBecause;
    private int cursor;
    private int commands;

    private GuestShell(Supplier<String> context) {
        this.context = context;
    }

    /** Attaches to the console of VM {@code vmId} through the gateway at {@code gatewayBase} (http://host:port). */
    static GuestShell open(URI gatewayBase, String vmId) {
        return open(gatewayBase, vmId, () -> "");
    }

    /**
     * As {@link #open(URI, String)}; {@code context} is called when a wait fails and its text (the gateway's log,
     * the VM record) is added to the failure.
     */
    static GuestShell open(URI gatewayBase, String vmId, Supplier<String> context) {
        URI stream = URI.create(gatewayBase.toString().replaceFirst("^http", "ws") + "/api/v1/vms/" + vmId
                + "/console/stream");
        GuestShell shell = new GuestShell(context);
        try {
            shell.socket = shell.http.newWebSocketBuilder().buildAsync(stream, shell.new Listener())
                    .orTimeout(30, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            shell.close();
            throw new AssertionError("cannot open the console " + stream + ": " + e.getCause() + "\n"
                    + context.get(), e);
        }
        return shell;
    }

    /** Waits for the shell's prompt after the cursor. */
    void awaitPrompt(Duration timeout) {
        awaitText(PROMPT, timeout);
    }

    /** Waits until {@code text} appears after the cursor, then moves the cursor past it. */
    void awaitText(String text, Duration timeout) {
        await(Pattern.compile(Pattern.quote(text)), timeout, "\"" + text + "\"");
    }

    /** Types {@code line} and Enter; does not wait (for commands that end the shell: poweroff, reboot). */
    void send(String line) {
        socket.sendText(line + "\n", true).orTimeout(30, TimeUnit.SECONDS).join();
    }

    /**
     * Runs {@code command} in the shell and returns what it printed (stdout and stderr, lines ending in
     * {@code \n}), once the shell says it ended.
     *
     * @throws AssertionError when it does not end within {@code timeout} or exits with a non-zero status
     */
    String run(String command, Duration timeout) {
        int n = ++commands;
        send("echo '##'B" + n + "; " + command + "; echo '##'E" + n + ":$?");
        Matcher begin = await(Pattern.compile("##B" + n + "\r?\n"), timeout, "the start of `" + command + "`");
        int start = begin.end();
        Matcher end = await(Pattern.compile("##E" + n + ":(\\d+)\r?\n"), timeout, "the end of `" + command + "`");
        String output;
        synchronized (this) {
            output = transcript.substring(start, end.start()).replace("\r\n", "\n");
        }
        int status = Integer.parseInt(end.group(1));
        if (status != 0) {
            throw new AssertionError("`" + command + "` exited with status " + status + ":\n" + output);
        }
        return output;
    }

    /** Waits until the gateway closes the console (the VM's run ended). */
    void awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (closedBecause == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw failure("the console to close after " + timeout.toSeconds() + " s");
                }
                waitNanos(left);
            }
        }
    }

    /** Everything the console printed so far. */
    synchronized String transcript() {
        return transcript.toString();
    }

    private Matcher await(Pattern pattern, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                Matcher m = pattern.matcher(transcript);
                if (m.find(cursor)) {
                    cursor = m.end();
                    return m;
                }
                if (closedBecause != null) {
                    throw failure(what + ", but the console closed (" + closedBecause + ")");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw failure(what + " for " + timeout.toSeconds() + " s");
                }
                waitNanos(left);
            }
        }
    }

    private void waitNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(this, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the console", e);
        }
    }

    private synchronized AssertionError failure(String waitedFor) {
        String tail = transcript.substring(Math.max(0, transcript.length() - TAIL_CHARS));
        return new AssertionError("waited for " + waitedFor + "; console tail:\n" + tail + "\n-- end of console --\n"
                + context.get());
    }

    private synchronized void received(CharSequence text) {
        transcript.append(text);
        notifyAll();
    }

    private synchronized void closed(String why) {
        if (closedBecause == null) {
            closedBecause = why;
        }
        notifyAll();
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        if (socket != null) {
            socket.abort();
        }
        http.close();
    }

    /** Collects the console's text messages (binary ones as UTF-8) into the transcript. */
    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            received(data);
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            received(StandardCharsets.UTF_8.decode(data));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed("status " + statusCode + (reason.isEmpty() ? "" : ": " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed("error: " + error);
        }
    }
}
