package dev.pvm.gateway.clients;

import dev.pvm.proto.device.v1.DeviceServiceGrpc;
import dev.pvm.proto.placement.v1.PlacementServiceGrpc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * Stubs for the backing services. Their addresses are spring.grpc.client.channel.{placement,device}.target
 * (static://host:port, or in-process:NAME in tests).
 */
@Configuration(proxyBeanMethods = false)
public class GrpcClientsConfiguration {

    @Bean
    PlacementServiceGrpc.PlacementServiceBlockingStub placementStub(GrpcChannelFactory channels, Environment env) {
        return PlacementServiceGrpc.newBlockingStub(channels.createChannel(target(env, "placement")));
    }

    @Bean
    DeviceServiceGrpc.DeviceServiceBlockingStub deviceStub(GrpcChannelFactory channels, Environment env) {
        return DeviceServiceGrpc.newBlockingStub(channels.createChannel(target(env, "device")));
    }

    /**
     * The configured target itself rather than the channel's name: with both the Netty and the in-process channel
     * factory present, the composite factory only routes concrete targets.
     */
    private static String target(Environment env, String channel) {
        return env.getRequiredProperty("spring.grpc.client.channel." + channel + ".target");
    }
}
