package dev.pvm.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.pvm.gateway.GatewayTestBase;
import dev.pvm.gateway.fake.FakeVmEngine;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/** The console WebSocket: what was printed, then live output; input reaches the engine; closes at the end. */
class ConsoleStreamTest extends GatewayTestBase {

    @LocalServerPort
    int port;

    @Test
    void streamsPastAndLiveOutputAndForwardsInput() throws Exception {
        launcher.scenario = FakeVmEngine.Scenario.RUN_UNTIL_STOPPED;
        UUID id = create(definition(""));
        mvc.perform(post("/api/v1/vms/" + id + "/start")).andExpect(status().isAccepted());
        await().atMost(Duration.ofSeconds(30)).until(() ->
                json(mvc.perform(get("/api/v1/vms/" + id)).andReturn()).get("state").asString().equals("RUNNING"));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                mvc.perform(get("/api/v1/vms/" + id + "/console")).andReturn().getResponse().getContentAsString()
                        .equals(FakeVmEngine.GREETING));

        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        WebSocketSession session = new StandardWebSocketClient().execute(new TextWebSocketHandler() {
            @Override
            protected void handleTextMessage(WebSocketSession s, TextMessage message) {
                received.add(message.getPayload());
            }

            @Override
            public void afterConnectionClosed(WebSocketSession s, CloseStatus status) {
                closed.complete(status);
            }
        }, null, URI.create("ws://127.0.0.1:" + port + "/api/v1/vms/" + id + "/console/stream"))
                .get(30, TimeUnit.SECONDS);

        assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo(FakeVmEngine.GREETING);
        session.sendMessage(new TextMessage("ls\n"));
        assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("echo: ls\n");

        mvc.perform(post("/api/v1/vms/" + id + "/stop")).andExpect(status().isOk());
        assertThat(closed.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(CloseStatus.NORMAL.getCode());
        mvc.perform(get("/api/v1/vms/" + id + "/console"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                        .string(FakeVmEngine.GREETING + "echo: ls\n"));
    }

    @Test
    void refusesTheHandshakeForAnUnknownVm() {
        CompletableFuture<WebSocketSession> attempt = new StandardWebSocketClient().execute(new TextWebSocketHandler(),
                null, URI.create("ws://127.0.0.1:" + port + "/api/v1/vms/" + UUID.randomUUID() + "/console/stream"));
        assertThat(attempt).failsWithin(Duration.ofSeconds(30));
    }
}
