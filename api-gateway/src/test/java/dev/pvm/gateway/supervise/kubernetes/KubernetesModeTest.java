package dev.pvm.gateway.supervise.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.pvm.gateway.fake.FakeBackends;
import dev.pvm.gateway.fake.FakeDeviceService;
import dev.pvm.gateway.fake.FakeKubelet;
import dev.pvm.gateway.fake.FakeVmEngine;
import dev.pvm.gateway.supervise.EngineLauncher;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway in Kubernetes mode through its REST API: the real supervisor and Kubernetes launcher against fabric8's
 * mock API server. A fake kubelet gives every new engine pod its own loopback address (127.0.0.2, .3, ...) with a
 * fake engine listening there on the configured port, marks the pod running and ready, and ends the pod with the
 * engine's exit code when the engine exits.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Import({FakeBackends.class, KubernetesModeTest.MockApiServer.class})
@EnableKubernetesMockClient(crud = true)
@DirtiesContext
class KubernetesModeTest {

    static KubernetesClient client;

    private static final int ENGINE_PORT = freePort();
    private static final String[] TARGETS = FakeBackends.targets();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WITH_GPU = ",\"phbs\":[{\"index\":1,\"devices\":[\"" + FakeDeviceService.GPU + "\"]}]";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path dataDir = Files.createTempDirectory("pvm-gateway-k8s-test");
        registry.add("pvm.data-dir", dataDir::toString);
        registry.add("logging.file.name", () -> dataDir.resolve("gateway.log").toString());
        registry.add("logging.level.io.fabric8.mockwebserver", () -> "WARN");
        registry.add("pvm.engine.launcher", () -> "kubernetes");
        registry.add("pvm.engine.stop-timeout", () -> "5s");
        registry.add("pvm.engine.kubernetes.image", () -> "pvm/vm-engine:1.2.3");
        registry.add("pvm.engine.kubernetes.grpc-port", () -> ENGINE_PORT);
        for (String target : TARGETS) {
            String[] kv = target.split("=", 2);
            registry.add(kv[0], () -> kv[1]);
        }
    }

    /** The mock server's client in place of one configured from the environment. */
    @TestConfiguration(proxyBeanMethods = false)
    static class MockApiServer {
        @Bean(destroyMethod = "")
        @Primary
        KubernetesClient mockKubernetesClient() {
            return client;
        }
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    FakeDeviceService devices;
    @Autowired
    EngineLauncher launcher;

    private FakeKubelet kubelet;
    private Watch watch;
    private final ExecutorService kubeletThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger nextAddress = new AtomicInteger(2);
    private final Map<String, Server> engines = new ConcurrentHashMap<>();

    @BeforeEach
    void startKubelet() {
        String namespace = ((KubernetesEngineLauncher) launcher).namespace();
        kubelet = new FakeKubelet(client, namespace);
        watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.ADDED) {
                    kubeletThreads.execute(() -> runEngine(pod.getMetadata().getName()));
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }

    @AfterEach
    void stopKubelet() {
        watch.close();
        engines.values().forEach(Server::shutdownNow);
        kubeletThreads.shutdownNow();
    }

    /** What the kubelet does with a new pod: start its (fake) engine at a fresh address and report it ready. */
    private void runEngine(String podName) {
        String ip = "127.0.0." + nextAddress.getAndIncrement();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Server server;
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(ip, ENGINE_PORT))
                    .addService(new FakeVmEngine(FakeVmEngine.Scenario.RUN_UNTIL_STOPPED, exit,
                            new CopyOnWriteArrayList<>()))
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        engines.put(podName, server);
        // The engine process ending is the container ending: the pod ends with its exit code.
        exit.thenAcceptAsync(code -> {
            server.shutdownNow();
            kubelet.end(podName, code, code == 0 ? "Completed" : "Error");
        }, kubeletThreads);
        kubelet.run(podName, ip);
    }

    private UUID createVm(String extra) throws Exception {
        String body = "{\"name\":\"vm-" + UUID.randomUUID().toString().substring(0, 8) + "\","
                + "\"machine\":\"pseries-4.1\",\"vcpus\":2,\"memoryMiB\":1024,\"boot\":{\"builtin\":\"hello\"}"
                + extra + "}";
        String created = mvc.perform(post("/api/v1/vms").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return UUID.fromString(JSON.readTree(created).get("id").asString());
    }

    private String state(UUID id) throws Exception {
        return JSON.readTree(mvc.perform(get("/api/v1/vms/" + id)).andReturn().getResponse().getContentAsString())
                .get("state").asString();
    }

    private void awaitState(UUID id, String state) {
        await().atMost(Duration.ofSeconds(30)).until(() -> state(id), state::equals);
    }

    @Test
    void startCreatesAPodWithTheVmsResourcesAndAFailedPodFailsTheVm() throws Exception {
        UUID id = createVm(WITH_GPU);
        String podName = EnginePodTemplate.podName(id);

        mvc.perform(post("/api/v1/vms/" + id + "/start")).andExpect(status().isAccepted());
        awaitState(id, "RUNNING");

        Pod pod = kubelet.get(podName);
        assertThat(pod.getMetadata().getLabels()).containsEntry("pvm.dev/vm-id", id.toString());
        assertThat(pod.getSpec().getContainers().getFirst().getResources().getRequests())
                .containsEntry("cpu", new Quantity("2"))
                .containsEntry("memory", new Quantity("1536Mi"))
                .containsEntry("pvm.dev/nvlink2-gpu", new Quantity("1"));
        mvc.perform(get("/api/v1/vms/" + id + "/console")).andExpect(content().string(FakeVmEngine.GREETING));

        // The kubelet kills the engine for exceeding its memory limit.
        engines.get(podName).shutdownNow();
        kubelet.end(podName, 137, "OOMKilled");

        awaitState(id, "FAILED");
        mvc.perform(get("/api/v1/vms/" + id)).andExpect(jsonPath("$.stateReason").value(containsString(
                "engine exited with code 137 (container engine terminated: OOMKilled)")));
        kubelet.awaitGone(podName);
        await().atMost(Duration.ofSeconds(10)).until(() -> !devices.holders().containsValue(id.toString()));
    }

    @Test
    void stopEndsThePodAndTheVmIsDeletedWithNoPodLeft() throws Exception {
        UUID id = createVm("");
        String podName = EnginePodTemplate.podName(id);
        mvc.perform(post("/api/v1/vms/" + id + "/start")).andExpect(status().isAccepted());
        awaitState(id, "RUNNING");

        mvc.perform(post("/api/v1/vms/" + id + "/stop"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("SHUTOFF"));
        kubelet.awaitGone(podName);

        mvc.perform(delete("/api/v1/vms/" + id)).andExpect(status().isNoContent());
        assertThat(client.pods().inNamespace(((KubernetesEngineLauncher) launcher).namespace())
                .withLabel("pvm.dev/vm-id", id.toString()).list().getItems()).isEmpty();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
