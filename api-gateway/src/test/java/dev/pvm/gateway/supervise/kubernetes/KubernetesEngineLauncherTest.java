package dev.pvm.gateway.supervise.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pvm.gateway.fake.FakeKubelet;
import dev.pvm.gateway.fake.FakeVmEngine;
import dev.pvm.gateway.problem.EngineLaunchException;
import dev.pvm.gateway.supervise.EngineRequest;
import dev.pvm.gateway.supervise.LaunchedEngine;
import dev.pvm.proto.engine.v1.GetDeviceTreeRequest;
import dev.pvm.proto.engine.v1.VmEngineGrpc;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The Kubernetes launcher against fabric8's mock API server in CRUD mode, with {@link FakeKubelet} writing the pod
 * statuses a scheduler and kubelet would, and a fake engine listening where the "pod IP" points (127.0.0.1).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesEngineLauncherTest {

    KubernetesClient client;
    KubernetesMockServer server;

    private Server engine;
    private KubernetesEngineLauncher launcher;
    private FakeKubelet kubelet;

    @BeforeEach
    void start() throws Exception {
        engine = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new FakeVmEngine(FakeVmEngine.Scenario.RUN_UNTIL_STOPPED, new CompletableFuture<>(),
                        new CopyOnWriteArrayList<>()))
                .build().start();
        launcher = launcher(Duration.ofSeconds(30));
        kubelet = new FakeKubelet(client, launcher.namespace());
    }

    @AfterEach
    void stop() {
        launcher.close();
        engine.shutdownNow();
    }

    private KubernetesEngineLauncher launcher(Duration readyTimeout) {
        KubernetesEngineProperties properties = new KubernetesEngineProperties(null, "pvm/vm-engine:1.2.3",
                "IfNotPresent", engine.getPort(), DataSize.ofMegabytes(512), DataSize.ofMegabytes(256), readyTimeout,
                "pvm-engine", "pvm.dev/nvlink2-gpu", Path.of("/var/lib/pvm/gpu-memory"), Map.of(),
                "api-gateway-7d9f", "0f5c3a4e-1111-2222-3333-444455556666");
        return new KubernetesEngineLauncher(client, properties,
                new EnginePodTemplate(properties, List.of("-Xss2m"), 10));
    }

    private static EngineRequest request(int gpus) {
        return new EngineRequest(UUID.randomUUID(), "web1", Path.of("/tmp/vm"), 2, 1024, gpus);
    }

    /** Launches in the background (a launch waits for the pod to be ready) and returns the pod once it exists. */
    private CompletableFuture<LaunchedEngine> launch(EngineRequest request) {
        return CompletableFuture.supplyAsync(() -> launcher.launch(request));
    }

    private LaunchedEngine launchRunning(EngineRequest request) throws Exception {
        CompletableFuture<LaunchedEngine> launched = launch(request);
        kubelet.run(EnginePodTemplate.podName(request.vmId()), "127.0.0.1");
        return launched.get(20, TimeUnit.SECONDS);
    }

    @Test
    void createsOnePodSizedForTheVmAndConnectsToItsIpOnceReady() throws Exception {
        EngineRequest request = request(1);
        CompletableFuture<LaunchedEngine> launched = launch(request);
        Pod pod = kubelet.awaitPod(EnginePodTemplate.podName(request.vmId()));

        assertThat(pod.getMetadata().getLabels())
                .containsEntry("pvm.dev/vm-id", request.vmId().toString())
                .containsEntry("app.kubernetes.io/managed-by", "pvm-api-gateway")
                .containsEntry("app.kubernetes.io/component", "vm-engine");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("pvm.dev/vm-name", "web1");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("Pod");
            assertThat(owner.getName()).isEqualTo("api-gateway-7d9f");
            assertThat(owner.getUid()).isEqualTo("0f5c3a4e-1111-2222-3333-444455556666");
        });
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getNodeName()).as("the scheduler chooses the node").isNull();
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
        Container container = pod.getSpec().getContainers().getFirst();
        assertThat(container.getImage()).isEqualTo("pvm/vm-engine:1.2.3");
        assertThat(container.getArgs()).containsExactly("serve", "--grpc-port", Integer.toString(engine.getPort()),
                "--port-file", "/tmp/engine.port");
        assertThat(container.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("JDK_JAVA_OPTIONS");
            assertThat(env.getValue()).isEqualTo("-Xmx256m -Xss2m");
        });
        // A CPU per vCPU; guest RAM (1024 MiB) + overhead (512 MiB), limited alike; the GPU as extended resource.
        assertThat(container.getResources().getRequests()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cpu", new Quantity("2"), "memory", new Quantity("1536Mi"), "pvm.dev/nvlink2-gpu", new Quantity("1")));
        assertThat(container.getResources().getLimits()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "memory", new Quantity("1536Mi"), "pvm.dev/nvlink2-gpu", new Quantity("1")));
        assertThat(container.getReadinessProbe().getTcpSocket().getPort().getStrVal()).isEqualTo("grpc");
        assertThat(pod.getSpec().getVolumes()).filteredOn(v -> v.getHostPath() != null).singleElement()
                .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/var/lib/pvm/gpu-memory"));
        assertThat(launched).isNotDone();

        kubelet.run(pod.getMetadata().getName(), "127.0.0.1");
        LaunchedEngine engine = launched.get(20, TimeUnit.SECONDS);
        byte[] dtb = VmEngineGrpc.newBlockingStub(engine.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                .getDeviceTree(GetDeviceTreeRequest.getDefaultInstance()).getDtb().toByteArray();
        assertThat(dtb).isEqualTo(FakeVmEngine.DTB);
        assertThat(engine.process().pid()).isEmpty();
        assertThat(engine.process().exitCode()).isNotDone();
        engine.channel().shutdownNow();
    }

    @Test
    void aVmWithoutGpusRequestsNoGpuAndMountsNoGpuMemory() throws Exception {
        EngineRequest request = request(0);
        launch(request);
        Pod pod = kubelet.awaitPod(EnginePodTemplate.podName(request.vmId()));
        Container container = pod.getSpec().getContainers().getFirst();
        assertThat(container.getResources().getRequests()).doesNotContainKey("pvm.dev/nvlink2-gpu");
        assertThat(container.getResources().getLimits()).doesNotContainKey("pvm.dev/nvlink2-gpu");
        assertThat(pod.getSpec().getVolumes()).noneSatisfy(v -> assertThat(v.getHostPath()).isNotNull());
        launcher.terminateOrphan(request.vmId(), Path.of("/tmp"), null);
    }

    @Test
    void aFailedPodEndsTheEngineWithTheContainersExitCodeAndReasonAndIsDeleted() throws Exception {
        EngineRequest request = request(0);
        LaunchedEngine engine = launchRunning(request);
        String name = EnginePodTemplate.podName(request.vmId());

        server.expect().get()
                .withPath("/api/v1/namespaces/test/pods/" + name + "/log?pretty=false&container=engine&tailLines=50")
                .andReturn(200, "pvm-engine: listening on port 9095\npvm-engine: guest RAM 1024 MiB mapped\n")
                .once();

        kubelet.end(name, 137, "OOMKilled");

        assertThat(engine.process().exitCode().get(20, TimeUnit.SECONDS)).isEqualTo(137);
        assertThat(engine.process().exitReason()).hasValue("container engine terminated: OOMKilled");
        assertThat(engine.process().logName()).isEqualTo("pod " + name + " (container engine)");
        // Read before the pod was deleted: the supervisor asks for it only once the exit is known.
        assertThat(engine.process().logTail(1)).containsExactly("pvm-engine: guest RAM 1024 MiB mapped");
        kubelet.awaitGone(name);
        engine.channel().shutdownNow();
    }

    @Test
    void aSucceededPodIsACleanExit() throws Exception {
        EngineRequest request = request(0);
        LaunchedEngine engine = launchRunning(request);
        String name = EnginePodTemplate.podName(request.vmId());

        kubelet.end(name, 0, "Completed");

        assertThat(engine.process().exitCode().get(20, TimeUnit.SECONDS)).isZero();
        kubelet.awaitGone(name);
        engine.channel().shutdownNow();
    }

    @Test
    void killDeletesThePodAndEndsTheEngineAsKilled() throws Exception {
        EngineRequest request = request(0);
        LaunchedEngine engine = launchRunning(request);
        String name = EnginePodTemplate.podName(request.vmId());

        engine.process().kill();

        kubelet.awaitGone(name);
        assertThat(engine.process().exitCode().get(20, TimeUnit.SECONDS)).isEqualTo(137);
        assertThat(engine.process().exitReason()).hasValue("pod deleted");
        engine.channel().shutdownNow();
    }

    @Test
    void aPodDeletedBehindTheGatewaysBackFailsTheEngine() throws Exception {
        EngineRequest request = request(0);
        LaunchedEngine engine = launchRunning(request);
        String name = EnginePodTemplate.podName(request.vmId());

        client.pods().inNamespace(launcher.namespace()).withName(name).delete();

        assertThat(engine.process().exitCode().get(20, TimeUnit.SECONDS)).isEqualTo(-1);
        assertThat(engine.process().exitReason()).get().asString()
                .contains("was deleted by someone other than the gateway");
        engine.channel().shutdownNow();
    }

    @Test
    void aPodThatCannotStartItsContainerFailsTheLaunchAndIsDeleted() {
        EngineRequest request = request(0);
        CompletableFuture<LaunchedEngine> launched = launch(request);
        String name = EnginePodTemplate.podName(request.vmId());

        kubelet.waiting(name, "ErrImageNeverPull", "image \"pvm/vm-engine:1.2.3\" is not present");

        assertThatThrownBy(() -> launched.get(20, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(EngineLaunchException.class)
                .hasMessageContaining("engine pod " + name + " will not start")
                .hasMessageContaining("ErrImageNeverPull - image \"pvm/vm-engine:1.2.3\" is not present");
        kubelet.awaitGone(name);
    }

    @Test
    void aPodNotReadyInTimeFailsTheLaunchWithTheSchedulersWordAndIsDeleted() {
        launcher.close();
        launcher = launcher(Duration.ofSeconds(2));
        EngineRequest request = request(4);
        CompletableFuture<LaunchedEngine> launched = launch(request);
        String name = EnginePodTemplate.podName(request.vmId());

        kubelet.unschedulable(name, "0/3 nodes are available: 3 Insufficient pvm.dev/nvlink2-gpu.");

        assertThatThrownBy(() -> launched.get(20, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(EngineLaunchException.class)
                .hasMessageContaining("engine pod " + name + " was not ready within PT2S")
                .hasMessageContaining("not scheduled: Unschedulable - 0/3 nodes are available: 3 Insufficient "
                        + "pvm.dev/nvlink2-gpu.")
                .hasMessageContaining("it was deleted");
        kubelet.awaitGone(name);
    }

    @Test
    void anEngineEndingBeforeItIsReadyFailsTheLaunch() {
        EngineRequest request = request(0);
        CompletableFuture<LaunchedEngine> launched = launch(request);
        String name = EnginePodTemplate.podName(request.vmId());

        kubelet.end(name, 1, "Error");

        assertThatThrownBy(() -> launched.get(20, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(EngineLaunchException.class)
                .hasMessageContaining("engine exited with code 1 before listening (container engine terminated: "
                        + "Error)");
        kubelet.awaitGone(name);
    }

    @Test
    void aLeftoverPodOfTheVmsEarlierRunIsReplaced() throws Exception {
        EngineRequest request = request(0);
        String name = EnginePodTemplate.podName(request.vmId());
        Pod leftover = client.pods().inNamespace(launcher.namespace()).resource(new PodBuilder()
                .withNewMetadata().withName(name).addToLabels(EnginePodTemplate.selector()).endMetadata()
                .withNewSpec().addNewContainer().withName("engine").withImage("pvm/vm-engine:0.0.1").endContainer()
                .endSpec().build()).create();

        CompletableFuture<LaunchedEngine> launched = launch(request);
        Pod current = await().atMost(Duration.ofSeconds(20)).until(() -> kubelet.get(name),
                p -> p != null && !p.getMetadata().getUid().equals(leftover.getMetadata().getUid()));
        assertThat(current.getSpec().getContainers().getFirst().getImage()).isEqualTo("pvm/vm-engine:1.2.3");
        kubelet.run(name, "127.0.0.1");
        LaunchedEngine engine = launched.get(20, TimeUnit.SECONDS);
        engine.process().kill();
        kubelet.awaitGone(name);
        engine.channel().shutdownNow();
    }

    @Test
    void terminateOrphanDeletesTheVmsPodIfThereIsOne() {
        UUID vmId = UUID.randomUUID();
        String name = EnginePodTemplate.podName(vmId);
        client.pods().inNamespace(launcher.namespace()).resource(new PodBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("engine").withImage("pvm/vm-engine:1.2.3").endContainer()
                .endSpec().build()).create();

        assertThat(launcher.terminateOrphan(vmId, Path.of("/tmp"), null)).isTrue();
        assertThat(kubelet.get(name)).isNull();
        assertThat(launcher.terminateOrphan(vmId, Path.of("/tmp"), null)).isFalse();
    }
}
