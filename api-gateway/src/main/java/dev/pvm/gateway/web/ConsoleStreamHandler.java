package dev.pvm.gateway.web;

import dev.pvm.gateway.console.ConsoleRegistry;
import dev.pvm.gateway.console.ConsoleSubscriber;
import dev.pvm.gateway.problem.GatewayException;
import dev.pvm.gateway.supervise.EngineSupervisor;
import dev.pvm.gateway.vm.VmStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * WebSocket /api/v1/vms/{id}/console/stream: sends everything the guest printed so far, then live output, as text
 * messages (UTF-8, split sequences kept whole); closes normally when the run ends. Text or binary messages from
 * the client are typed on the guest console (engine WriteConsole); typing to a VM that is not running closes the
 * socket with 1008 and the reason.
 */
@Component
public class ConsoleStreamHandler extends AbstractWebSocketHandler implements HandshakeInterceptor {

    public static final String PATH = "/api/v1/vms/*/console/stream";
    private static final Logger log = LoggerFactory.getLogger(ConsoleStreamHandler.class);
    private static final String VM_ID = "pvm.vmId";
    private static final String SUBSCRIBER = "pvm.subscriber";
    private static final int SEND_TIME_LIMIT_MILLIS = 10_000;
    private static final int BUFFER_LIMIT_BYTES = 1 << 20;

    private final VmStore store;
    private final ConsoleRegistry consoles;
    private final EngineSupervisor supervisor;

    public ConsoleStreamHandler(VmStore store, ConsoleRegistry consoles, EngineSupervisor supervisor) {
        this.store = store;
        this.consoles = consoles;
        this.supervisor = supervisor;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) {
        String[] parts = request.getURI().getPath().split("/");
        // /api/v1/vms/{id}/console/stream -> ["", "api", "v1", "vms", id, "console", "stream"]
        try {
            UUID id = UUID.fromString(parts[4]);
            store.get(id);
            attributes.put(VM_ID, id);
            return true;
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException | GatewayException e) {
            response.setStatusCode(HttpStatus.NOT_FOUND);
            return false;
        }
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Exception exception) {}

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        UUID id = (UUID) session.getAttributes().get(VM_ID);
        SessionSubscriber subscriber = new SessionSubscriber(
                new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MILLIS, BUFFER_LIMIT_BYTES));
        session.getAttributes().put(SUBSCRIBER, subscriber);
        consoles.console(id).subscribe(subscriber);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
        type(session, message.getPayload().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws IOException {
        ByteBuffer payload = message.getPayload();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        type(session, bytes);
    }

    private void type(WebSocketSession session, byte[] bytes) throws IOException {
        UUID id = (UUID) session.getAttributes().get(VM_ID);
        try {
            supervisor.writeConsole(id, bytes);
        } catch (GatewayException e) {
            // Close reasons are limited to 123 bytes.
            String reason = e.getMessage().length() > 120 ? e.getMessage().substring(0, 120) : e.getMessage();
            session.close(CloseStatus.POLICY_VIOLATION.withReason(reason));
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        UUID id = (UUID) session.getAttributes().get(VM_ID);
        Object subscriber = session.getAttributes().get(SUBSCRIBER);
        if (id != null && subscriber instanceof ConsoleSubscriber s) {
            consoles.console(id).unsubscribe(s);
        }
    }

    /** Decodes one session's byte stream as UTF-8 (keeping a sequence split across chunks) and sends it. */
    private static final class SessionSubscriber implements ConsoleSubscriber {
        private final WebSocketSession session;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        private ByteBuffer pending = ByteBuffer.allocate(0);

        SessionSubscriber(WebSocketSession session) {
            this.session = session;
        }

        @Override
        public synchronized void onBytes(byte[] bytes) {
            ByteBuffer in = ByteBuffer.allocate(pending.remaining() + bytes.length);
            in.put(pending).put(bytes).flip();
            CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
            decoder.decode(in, out, false);
            pending = in.slice();
            out.flip();
            if (out.hasRemaining()) {
                send(new TextMessage(out.toString()));
            }
        }

        @Override
        public synchronized void onEnd() {
            try {
                session.close(CloseStatus.NORMAL);
            } catch (IOException e) {
                log.debug("closing console socket {}: {}", session.getId(), e.toString());
            }
        }

        private void send(TextMessage message) {
            if (!session.isOpen()) {
                return;
            }
            try {
                session.sendMessage(message);
            } catch (IOException | RuntimeException e) {
                // A slow or gone client must not hold up the console: drop it.
                log.debug("console socket {} dropped: {}", session.getId(), e.toString());
                try {
                    session.close(CloseStatus.SESSION_NOT_RELIABLE);
                } catch (IOException closing) {
                    log.debug("closing console socket {}: {}", session.getId(), closing.toString());
                }
            }
        }
    }
}
