package dev.pvm.gateway.fake;

import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * The gateway's backing services as in-process fakes: placement-service and device-service on in-process gRPC
 * servers named by the channels' targets (spring.grpc.client.channel.{placement,device}.target =
 * in-process:NAME, which the test sets), and, in local mode, the engine launcher replaced by
 * {@link FakeEngineLauncher}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class FakeBackends {

    @Bean
    FakePlacementService fakePlacementService() {
        return new FakePlacementService();
    }

    @Bean
    FakeDeviceService fakeDeviceService() {
        return new FakeDeviceService();
    }

    @Bean(destroyMethod = "shutdownNow")
    Server fakePlacementServer(FakePlacementService service, Environment env) {
        return start(InProcessServerBuilder.forName(inProcessName(env, "placement")).addService(service).build());
    }

    @Bean(destroyMethod = "shutdownNow")
    Server fakeDeviceServer(FakeDeviceService service, Environment env) {
        return start(InProcessServerBuilder.forName(inProcessName(env, "device")).addService(service).build());
    }

    /** Properties that point the gateway's channels at fresh fakes (unique names, so contexts never clash). */
    public static String[] targets() {
        String id = UUID.randomUUID().toString();
        return new String[] {
            "spring.grpc.client.channel.placement.target=in-process:fake-placement-" + id,
            "spring.grpc.client.channel.device.target=in-process:fake-device-" + id
        };
    }

    private static String inProcessName(Environment env, String channel) {
        String target = env.getRequiredProperty("spring.grpc.client.channel." + channel + ".target");
        if (!target.startsWith("in-process:")) {
            throw new IllegalStateException("the " + channel + " channel must target in-process:NAME, not " + target);
        }
        return target.substring("in-process:".length());
    }

    /** Not in Kubernetes mode, whose tests run the real Kubernetes launcher against fabric8's mock API server. */
    @Bean
    @Primary
    @ConditionalOnProperty(name = "pvm.engine.launcher", havingValue = "local", matchIfMissing = true)
    FakeEngineLauncher fakeEngineLauncher() {
        return new FakeEngineLauncher();
    }

    private static Server start(Server server) {
        try {
            return server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
