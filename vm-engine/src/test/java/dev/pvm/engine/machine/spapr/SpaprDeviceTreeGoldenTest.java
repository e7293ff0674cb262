package dev.pvm.engine.machine.spapr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.fdt.DtsPrinter;
import dev.pvm.engine.fdt.FdtNode;
import dev.pvm.engine.fdt.FdtProperty;
import dev.pvm.engine.fdt.FdtReader;
import dev.pvm.engine.fdt.FdtTree;
import dev.pvm.engine.hcall.TermHcalls;
import dev.pvm.engine.loader.BuiltinGuest;
import dev.pvm.engine.machine.BootSource;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MemoryNode;
import dev.pvm.engine.machine.NumaProperties;
import dev.pvm.engine.rtas.RtasService;
import dev.pvm.engine.testing.ExternalTools;
import dev.pvm.engine.testing.TestResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The device trees the engine builds, checked three ways: byte for byte against golden files
 * (src/test/resources/fdt/golden/SCENARIO.dtb, with SCENARIO.dts as the reviewable text; regenerate with
 * {@code -Dgolden.update=true} and review the .dts diff), structurally (what Linux needs), and against dtc
 * (its decompilation of the golden blob must be the golden text) when dtc is installed.
 */
class SpaprDeviceTreeGoldenTest {

    private static final long MIB = 1 << 20;

    static Stream<Arguments> scenarios() {
        MachineConfig hello = new MachineConfig("golden", "pseries-4.1", 1,
                List.of(new MemoryNode(0, 0, 256 * MIB, List.of())), NumaProperties.NONE,
                new BootSource.Builtin(BuiltinGuest.HELLO));
        // Two NUMA nodes as placement lays them out (associativity as QEMU 7.2 writes it).
        MachineConfig numa = new MachineConfig("golden", "pseries-4.1", 2,
                List.of(new MemoryNode(0, 0, 256 * MIB, List.of(4, 0, 0, 0, 0)),
                        new MemoryNode(1, 256 * MIB, 256 * MIB, List.of(4, 0, 0, 0, 1))),
                new NumaProperties(List.of(4, 3, 2, 1), List.of(4, 2, 2, 2, 2),
                        List.of(List.of(5, 0, 0, 0, 0, 0), List.of(5, 0, 0, 0, 1, 1)), Map.of()),
                new BootSource.Builtin(BuiltinGuest.HELLO_BE));
        return Stream.of(Arguments.of("spapr-hello-1cpu-256m", hello), Arguments.of("spapr-hello-2cpu-2numa", numa));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void matchesGoldenFiles(String scenario, MachineConfig config) throws Exception {
        byte[] dtb = build(config);
        String dts = DtsPrinter.print(FdtReader.read(dtb));
        Path dir = TestResources.moduleDir().resolve("src/test/resources/fdt/golden");
        Path dtbFile = dir.resolve(scenario + ".dtb");
        Path dtsFile = dir.resolve(scenario + ".dts");
        if (TestResources.updateGolden()) {
            Files.createDirectories(dir);
            Files.write(dtbFile, dtb);
            Files.writeString(dtsFile, dts);
        }
        assertThat(Files.exists(dtbFile)).as(dtbFile + " is missing; run with -Dgolden.update=true").isTrue();
        assertThat(dts).as("%s differs; if intended, regenerate with -Dgolden.update=true and review", dtsFile)
                .isEqualTo(Files.readString(dtsFile));
        assertThat(dtb).isEqualTo(Files.readAllBytes(dtbFile));
        if (ExternalTools.available("dtc")) {
            // dtc is the oracle for the golden text: its decompilation of the golden blob must be the same.
            assertThat(ExternalTools.run(null, "dtc", "-q", "-I", "dtb", "-O", "dts", dtbFile.toString()))
                    .isEqualTo(Files.readString(dtsFile));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void hasWhatLinuxNeeds(String scenario, MachineConfig config) {
        try (SpaprMachine m = SpaprMachine.create(config, (b, o, l) -> { }, Clock.systemUTC())) {
            FdtTree tree = FdtReader.read(m.deviceTree());
            FdtNode root = tree.root();
            assertThat(root.requireProperty("device_type").string()).isEqualTo("chrp");
            assertThat(root.requireProperty("#address-cells").u32()).isEqualTo(2);
            assertThat(root.requireProperty("#size-cells").u32()).isEqualTo(2);
            // The registries are the single source of what /rtas advertises.
            FdtNode rtas = tree.require("/rtas");
            assertThat(rtas.requireProperty("ibm,hypertas-functions").strings())
                    .isEqualTo(m.hcalls().functionSets()).contains(TermHcalls.FUNCTION_SET);
            assertThat(m.hcalls().isRegistered(TermHcalls.H_PUT_TERM_CHAR)).isTrue();
            for (Map.Entry<String, Integer> token : m.rtas().tokens().entrySet()) {
                assertThat(rtas.requireProperty(token.getKey()).u32()).isEqualTo(token.getValue());
            }
            // Every service name the tree carries is a registered one (no token without a handler).
            Set<String> serviceNames = Arrays.stream(RtasService.values()).map(RtasService::propertyName)
                    .collect(Collectors.toSet());
            assertThat(rtas.properties().stream().map(FdtProperty::name).filter(serviceNames::contains))
                    .containsExactlyInAnyOrderElementsOf(m.rtas().tokens().keySet());
            assertThat(rtas.requireProperty("rtas-size").u32()).isEqualTo(20);
            String stdout = tree.require("/chosen").requireProperty("linux,stdout-path").string();
            assertThat(tree.find(stdout)).as(stdout).isPresent();
            assertThat(tree.require("/cpus").children()).hasSize(config.vcpus());
            long memory = 0;
            for (FdtNode mem : root.childrenNamed("memory")) {
                int[] reg = mem.requireProperty("reg").cells();
                assertThat(mem.name()).isEqualTo("memory@" + Long.toHexString(((long) reg[0] << 32) | reg[1]));
                memory += ((long) reg[2] << 32) | (reg[3] & 0xffffffffL);
            }
            assertThat(memory).isEqualTo(config.memoryBytes());
        }
    }

    private static byte[] build(MachineConfig config) {
        try (SpaprMachine m = SpaprMachine.create(config, (b, o, l) -> { }, Clock.systemUTC())) {
            return m.deviceTree();
        }
    }
}
