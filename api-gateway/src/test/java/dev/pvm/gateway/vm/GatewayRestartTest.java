package dev.pvm.gateway.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.gateway.GatewayApplication;
import dev.pvm.gateway.fake.FakeBackends;
import dev.pvm.gateway.fake.FakeEngineLauncher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Definitions and states live in the H2 file: a second gateway on the same data directory finds them. */
class GatewayRestartTest {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext gateway() {
        List<String> args = new ArrayList<>();
        for (String target : FakeBackends.targets()) {
            args.add("--" + target);
        }
        args.add("--pvm.data-dir=" + dataDir);
        args.add("--logging.file.name=" + dataDir.resolve("gateway.log"));
        // Command-line arguments: they win over application.yaml, as the test needs.
        return new SpringApplicationBuilder(GatewayApplication.class, FakeBackends.class)
                .web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
    }

    @Test
    void definitionsAndStatesSurviveARestartAndOrphanedRunsFail() {
        VmDefinition definition = new VmDefinition("kept", "pseries-4.1", 2, 1024L,
                List.of(new NumaNode(List.of(0), 512L, null), new NumaNode(List.of(1), 512L, null)),
                new BootSource(null, null, null, "hello"), List.of(new PhbDefinition(1, List.of())), Mmu.RADIX);
        UUID kept;
        UUID orphaned;
        try (ConfigurableApplicationContext first = gateway()) {
            VmStore store = first.getBean(VmStore.class);
            kept = store.create(definition).id();
            orphaned = store.create(new VmDefinition("was-running", "pseries-4.1", 1, 256L, null,
                    new BootSource(null, null, null, "hello"), null, null)).id();
            // As if the first gateway crashed while this VM ran.
            store.changeState(orphaned, VmState.RUNNING, null);
            store.recordEnginePid(orphaned, 4242L);
        }

        try (ConfigurableApplicationContext second = gateway()) {
            VmStore store = second.getBean(VmStore.class);
            VmRecord k = store.get(kept);
            assertThat(k.state()).isEqualTo(VmState.DEFINED);
            assertThat(k.definition()).isEqualTo(definition);
            VmRecord o = store.get(orphaned);
            assertThat(o.state()).isEqualTo(VmState.FAILED);
            assertThat(o.stateReason()).contains("the gateway restarted while the VM was RUNNING")
                    .contains("pid 4242");
            assertThat(o.enginePid()).isNull();
            assertThat(second.getBean(FakeEngineLauncher.class).orphansTerminated).containsEntry(orphaned, true);
            assertThat(store.list()).extracting(VmRecord::name).containsExactly("kept", "was-running");
        }
    }
}
