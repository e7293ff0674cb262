package dev.pvm.gateway.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.pvm.gateway.GatewayTestBase;
import dev.pvm.gateway.fake.FakeDeviceService;
import dev.pvm.gateway.fake.FakeVmEngine;
import dev.pvm.proto.common.v1.MmuMode;
import dev.pvm.proto.common.v1.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;

/** The supervisor through the REST API, against in-process fakes of the engine, placement and devices. */
class EngineSupervisionTest extends GatewayTestBase {

    private static final String WITH_GPU = ",\"phbs\":[{\"index\":1,\"devices\":[\"" + FakeDeviceService.GPU + "\"]}]";

    private String state(UUID id) throws Exception {
        return json(mvc.perform(get("/api/v1/vms/" + id)).andReturn()).get("state").asString();
    }

    @Test
    void guestPowerOffEndsShutoffWithItsConsoleKept() throws Exception {
        UUID id = create(definition(""));
        mvc.perform(post("/api/v1/vms/" + id + "/start"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.state").value("STARTING"));
        awaitRunEnd(id);

        mvc.perform(get("/api/v1/vms/" + id))
                .andExpect(jsonPath("$.state").value("SHUTOFF"))
                .andExpect(jsonPath("$.stateReason").value("guest powered off"));
        mvc.perform(get("/api/v1/vms/" + id + "/console"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_PLAIN))
                .andExpect(content().string(FakeVmEngine.GREETING));
        assertThat(launcher.engines.get(id).created().getSpec().getBoot().getBuiltin()).isEqualTo("hello");
        // Stopping a stopped VM is a conflict; a SHUTOFF VM can start again and be deleted.
        mvc.perform(post("/api/v1/vms/" + id + "/stop")).andExpect(status().isConflict());
        mvc.perform(post("/api/v1/vms/" + id + "/start")).andExpect(status().isAccepted());
        awaitRunEnd(id);
        mvc.perform(delete("/api/v1/vms/" + id)).andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/vms/" + id)).andExpect(status().isNotFound());
    }

    @Test
    void aKernelBootReachesTheEngineWithItsPathsCommandLineAndMmu(@TempDir Path dir) throws Exception {
        Path kernel = Files.writeString(dir.resolve("vmlinux"), "ELF");
        Path initrd = Files.writeString(dir.resolve("initrd.gz"), "cpio");
        UUID id = create(definition(",\"mmu\":\"hash\"").replace("{\"builtin\":\"hello\"}", "{\"kernel\":\""
                + kernel + "\",\"initrd\":\"" + initrd + "\",\"cmdline\":\"console=hvc0 disable_radix\"}"));
        mvc.perform(post("/api/v1/vms/" + id + "/start")).andExpect(status().isAccepted());
        awaitRunEnd(id);

        VmSpec spec = launcher.engines.get(id).created().getSpec();
        assertThat(spec.getBoot().getKernel().getKernelPath()).isEqualTo(kernel.toString());
        assertThat(spec.getBoot().getKernel().getInitrdPath()).isEqualTo(initrd.toString());
        assertThat(spec.getBoot().getKernel().getCmdline()).isEqualTo("console=hvc0 disable_radix");
        assertThat(spec.getMmu()).isEqualTo(MmuMode.MMU_MODE_HASH);
        mvc.perform(get("/api/v1/vms/" + id)).andExpect(jsonPath("$.mmu").value("hash"))
                .andExpect(jsonPath("$.boot.initrd").value(initrd.toString()));
    }

    @Test
    void withoutAnMmuTheEngineGetsTheMachinesDefault() throws Exception {
        UUID id = create(definition(""));
        mvc.perform(post("/api/v1/vms/" + id + "/start")).andExpect(status().isAccepted());
        awaitRunEnd(id);
        assertThat(launcher.engines.get(id).created().getSpec().getMmu()).isEqualTo(MmuMode.MMU_MODE_UNSPECIFIED);
        mvc.perform(get("/api/v1/vms/" + id)).andExpect(jsonPath("$.mmu").doesNotExist());
    }

    @Test
    void engineExitingNonZeroFailsTheVmWithCodeAndLogTail() throws Exception {
        launcher.scenario = FakeVmEngine.Scenario.CRASH;
        UUID id = create(definition(WITH_GPU));
        mvc.perform(post("/api/v1/vms/" + id + "/start")).andExpect(status().isAccepted());
        awaitRunEnd(id);

        mvc.perform(get("/api/v1/vms/" + id))
                .andExpect(jsonPath("$.state").value("FAILED"))
                .andExpect(jsonPath("$.stateReason").value(containsString("engine exited with code 3")))
                .andExpect(jsonPath("$.stateReason").value(containsString("engine: fatal: simulated crash")));
        // The launcher is told what the VM uses (a Kubernetes launcher sizes the pod from it): the definition's
        // vCPUs and memory, and the reserved devices of kind NVLINK2_GPU.
        assertThat(launcher.requests.get(id)).satisfies(r -> {
            assertThat(r.vcpus()).isEqualTo(2);
            assertThat(r.memoryMiB()).isEqualTo(1024);
            assertThat(r.nvlink2Gpus()).isEqualTo(1);
        });
        assertThat(devices.holders()).doesNotContainValue(id.toString());
        mvc.perform(get("/api/v1/vms/" + id + "/console")).andExpect(content().string(FakeVmEngine.GREETING));
    }

    @Test
    void reserveFailureLeavesTheVmAsItWasWithNothingTaken() throws Exception {
        UUID id = create(definition(WITH_GPU));
        devices.heldElsewhere.add(FakeDeviceService.GPU);

        mvc.perform(post("/api/v1/vms/" + id + "/start"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("held by another VM")));

        mvc.perform(get("/api/v1/vms/" + id)).andExpect(jsonPath("$.state").value("DEFINED"));
        assertThat(launcher.engines).doesNotContainKey(id);
        assertThat(devices.holders()).doesNotContainValue(id.toString());
        assertThat(supervisor.hasRun(id)).isFalse();
    }

    @Test
    void layoutRefusalIsABadRequestNamingTheFieldAndReleasesTheDevices() throws Exception {
        UUID id = create(definition(",\"phbs\":[{\"index\":13,\"devices\":[\"" + FakeDeviceService.GPU + "\"]}]"));

        mvc.perform(post("/api/v1/vms/" + id + "/start"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("phbs[0].index"));

        assertThat(state(id)).isEqualTo("DEFINED");
        assertThat(devices.holders()).doesNotContainValue(id.toString());
        assertThat(launcher.engines).doesNotContainKey(id);
    }

    @Test
    void placementDownIsServiceUnavailableAndTheVmStaysDefined() throws Exception {
        UUID id = create(definition(WITH_GPU));
        placement.unavailable.set(true);

        mvc.perform(post("/api/v1/vms/" + id + "/start"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.service").value("placement-service"));

        assertThat(state(id)).isEqualTo("DEFINED");
        assertThat(devices.holders()).doesNotContainValue(id.toString());
    }

    @Test
    void launchFailureFailsTheVmAndReleasesItsDevices() throws Exception {
        launcher.launchFailure = "no engine jar: test";
        UUID id = create(definition(WITH_GPU));
        mvc.perform(post("/api/v1/vms/" + id + "/start")).andExpect(status().isAccepted());
        awaitRunEnd(id);

        mvc.perform(get("/api/v1/vms/" + id))
                .andExpect(jsonPath("$.state").value("FAILED"))
                .andExpect(jsonPath("$.stateReason").value("engine launch failed: no engine jar: test"));
        assertThat(devices.holders()).doesNotContainValue(id.toString());
    }

    @Test
    void engineRefusingCreateFailsTheVm() throws Exception {
        launcher.scenario = FakeVmEngine.Scenario.REFUSE_CREATE;
        UUID id = create(definition(""));
        mvc.perform(post("/api/v1/vms/" + id + "/start")).andExpect(status().isAccepted());
        awaitRunEnd(id);

        mvc.perform(get("/api/v1/vms/" + id))
                .andExpect(jsonPath("$.state").value("FAILED"))
                .andExpect(jsonPath("$.stateReason").value(containsString("engine refused Create")))
                .andExpect(jsonPath("$.stateReason").value(containsString("layout does not fit")));
    }

    @Test
    void runningVmShowsItsGpusServesItsDeviceTreeAndStopsOnRequest() throws Exception {
        launcher.scenario = FakeVmEngine.Scenario.RUN_UNTIL_STOPPED;
        UUID id = create(definition(WITH_GPU));
        mvc.perform(get("/api/v1/vms/" + id + "/device-tree")).andExpect(status().isConflict());
        mvc.perform(post("/api/v1/vms/" + id + "/start")).andExpect(status().isAccepted());
        await().atMost(Duration.ofSeconds(30)).until(() -> state(id).equals("RUNNING"));

        mvc.perform(get("/api/v1/vms/" + id))
                .andExpect(jsonPath("$.gpus[0].hostAddress").value(FakeDeviceService.GPU))
                .andExpect(jsonPath("$.gpus[0].phbIndex").value(1))
                .andExpect(jsonPath("$.gpus[0].ramAddress").value("0x20000000000"))
                .andExpect(jsonPath("$.gpus[0].ramSize").value("0x400000000"))
                .andExpect(jsonPath("$.gpus[0].numaNode").value(1))
                .andExpect(jsonPath("$.gpus[0].links[0].bridgeAddress").value("0007:00:00.0"))
                .andExpect(jsonPath("$.gpus[0].links[0].speed").value(9));
        assertThat(devices.holders()).containsEntry(FakeDeviceService.GPU, id.toString());
        mvc.perform(get("/api/v1/vms/" + id + "/device-tree"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "application/octet-stream"))
                .andExpect(content().bytes(FakeVmEngine.DTB));
        mvc.perform(get("/api/v1/vms/" + id + "/device-tree?format=dts"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "text/plain;charset=UTF-8"))
                .andExpect(content().string(FakeVmEngine.DTS));
        mvc.perform(get("/api/v1/vms/" + id + "/device-tree?format=yaml"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("format"));
        mvc.perform(post("/api/v1/vms/" + id + "/start")).andExpect(status().isConflict());
        mvc.perform(delete("/api/v1/vms/" + id)).andExpect(status().isConflict());

        mvc.perform(post("/api/v1/vms/" + id + "/stop"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("SHUTOFF"))
                .andExpect(jsonPath("$.stateReason").value("stopped by request"))
                .andExpect(jsonPath("$.gpus").doesNotExist());
        assertThat(devices.holders()).doesNotContainValue(id.toString());
        mvc.perform(post("/api/v1/vms/" + id + "/stop")).andExpect(status().isConflict());
    }
}
