package dev.pvm.gateway.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.gateway.GatewayApplication;
import dev.pvm.gateway.fake.FakeBackends;
import dev.pvm.gateway.fake.FakeEngineLauncher;
import dev.pvm.gateway.fake.FakeVmEngine;
import dev.pvm.gateway.vm.BootSource;
import dev.pvm.gateway.vm.VmDefinition;
import dev.pvm.gateway.vm.VmRecord;
import dev.pvm.gateway.vm.VmState;
import dev.pvm.gateway.vm.VmStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The engine's Create builds the whole machine (kernel and initrd read, guest and GPU memory mapped), which takes
 * seconds on a busy host: it runs under {@code pvm.engine.create-timeout}, not the short deadline of other calls.
 */
class EngineCreateDeadlineTest {

    @TempDir
    Path dataDir;

    @Test
    void aCreateSlowerThanTheCallDeadlineButWithinTheCreateTimeoutBoots() throws Exception {
        List<String> args = new ArrayList<>();
        for (String target : FakeBackends.targets()) {
            args.add("--" + target);
        }
        args.add("--pvm.data-dir=" + dataDir);
        args.add("--logging.file.name=" + dataDir.resolve("gateway.log"));
        // Every other call must answer within 1 s; the fake engine's Create takes 2.5 s.
        args.add("--pvm.grpc-deadline=1s");
        args.add("--pvm.engine.create-timeout=30s");
        try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class,
                FakeBackends.class).web(WebApplicationType.NONE).run(args.toArray(String[]::new))) {
            gateway.getBean(FakeEngineLauncher.class).scenario = FakeVmEngine.Scenario.SLOW_CREATE;
            assertThat(FakeVmEngine.SLOW_CREATE).isGreaterThan(Duration.ofSeconds(1));
            VmStore store = gateway.getBean(VmStore.class);
            EngineSupervisor supervisor = gateway.getBean(EngineSupervisor.class);
            UUID id = store.create(new VmDefinition("slow-create", "pseries-4.1", 1, 512L, null,
                    new BootSource(null, null, null, "hello"), null, null)).id();

            supervisor.start(id);
            supervisor.runFinished(id).orElseThrow().get(30, TimeUnit.SECONDS);

            VmRecord vm = store.get(id);
            assertThat(vm.state()).as(vm.stateReason()).isEqualTo(VmState.SHUTOFF);
            assertThat(vm.stateReason()).isEqualTo("guest powered off");
        }
    }
}
