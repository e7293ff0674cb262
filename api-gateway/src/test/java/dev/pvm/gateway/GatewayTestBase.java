package dev.pvm.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.pvm.gateway.fake.FakeBackends;
import dev.pvm.gateway.fake.FakeDeviceService;
import dev.pvm.gateway.fake.FakeEngineLauncher;
import dev.pvm.gateway.fake.FakePlacementService;
import dev.pvm.gateway.fake.FakeVmEngine;
import dev.pvm.gateway.supervise.EngineSupervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One gateway (on a random port, with MockMvc) over in-process fakes of placement-service, device-service and the
 * engine, shared by every test class that extends this one (Spring caches the context).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@Import(FakeBackends.class)
public abstract class GatewayTestBase {

    private static final Path DATA_DIR = tempDir();
    private static final String[] TARGETS = FakeBackends.targets();
    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("pvm.data-dir", DATA_DIR::toString);
        registry.add("logging.file.name", () -> DATA_DIR.resolve("gateway.log").toString());
        for (String target : TARGETS) {
            String[] kv = target.split("=", 2);
            registry.add(kv[0], () -> kv[1]);
        }
    }

    @Autowired
    protected MockMvc mvc;
    @Autowired
    protected FakePlacementService placement;
    @Autowired
    protected FakeDeviceService devices;
    @Autowired
    protected FakeEngineLauncher launcher;
    @Autowired
    protected EngineSupervisor supervisor;

    @AfterEach
    void resetFakes() {
        placement.unavailable.set(false);
        devices.unavailable.set(false);
        devices.heldElsewhere.clear();
        launcher.scenario = FakeVmEngine.Scenario.POWER_OFF;
        launcher.launchFailure = null;
    }

    /** A valid definition with a unique name; {@code extra} is spliced in (e.g. ,"phbs":[...]). */
    protected static String definition(String extra) {
        return "{\"name\":\"vm-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"machine\":\"pseries-4.1\","
                + "\"vcpus\":2,\"memoryMiB\":1024,\"boot\":{\"builtin\":\"hello\"}" + extra + "}";
    }

    protected UUID create(String body) throws Exception {
        MvcResult result = mvc.perform(post("/api/v1/vms").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated())
                .andReturn();
        return UUID.fromString(json(result).get("id").asString());
    }

    protected static JsonNode json(MvcResult result) throws Exception {
        return JSON.readTree(result.getResponse().getContentAsString());
    }

    /** Waits for the VM's current run to be completely over (engine gone, devices released). */
    protected void awaitRunEnd(UUID id) throws Exception {
        var finished = supervisor.runFinished(id);
        if (finished.isPresent()) {
            finished.get().get(30, TimeUnit.SECONDS);
        }
        assertThat(supervisor.hasRun(id)).isFalse();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("pvm-gateway-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
