package dev.pvm.gateway.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** The console WebSocket endpoint. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class WebSocketConfiguration implements WebSocketConfigurer {

    private final ConsoleStreamHandler console;

    public WebSocketConfiguration(ConsoleStreamHandler console) {
        this.console = console;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(console, ConsoleStreamHandler.PATH).addInterceptors(console);
    }
}
