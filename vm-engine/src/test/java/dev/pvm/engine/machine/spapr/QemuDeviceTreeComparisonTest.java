package dev.pvm.engine.machine.spapr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.fdt.FdtReader;
import dev.pvm.engine.loader.BuiltinGuest;
import dev.pvm.engine.machine.BootSource;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MemoryNode;
import dev.pvm.engine.machine.MmuMode;
import dev.pvm.engine.machine.NumaProperties;
import dev.pvm.engine.testing.TestElf;
import dev.pvm.engine.testing.TestResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our device tree against QEMU 7.2's reset-time trees for the same configurations (shared/facts/qemu-dtb, copied
 * to src/test/resources/fdt/qemu with their dtc-compiled blobs), node for node and property for property. Every
 * difference must be explained by an entry of fdt/qemu/intended-differences.txt, and every entry must still be
 * needed: a change that makes the trees drift apart, or closes a gap without updating the list, fails here.
 */
class QemuDeviceTreeComparisonTest {

    private static final long GIB = 1L << 30;

    private record Scenario(String name, String qemuTree, MachineConfig config) {
    }

    /** What placement gives a one-node pseries-7.2 VM (QEMU's FORM1 legacy values for one node). */
    private static final NumaProperties ONE_NODE = new NumaProperties(List.of(4, 4, 2), List.of(4, 0, 0, 0, 1),
            List.of(), Map.of());

    private static MachineConfig oneCpu(MmuMode mmu, BootSource boot) {
        return new MachineConfig("qemu-compare", "pseries-7.2", 1,
                List.of(new MemoryNode(0, 0, GIB, List.of(4, 0, 0, 0, 0))), ONE_NODE, boot, mmu);
    }

    private static MachineConfig fourCpusTwoNodes(MmuMode mmu) {
        List<List<Integer>> cpuAssociativity = new ArrayList<>();
        for (int cpu = 0; cpu < 4; cpu++) {
            cpuAssociativity.add(List.of(5, 0, 0, 0, cpu / 2, cpu));
        }
        return new MachineConfig("qemu-compare", "pseries-7.2", 4,
                List.of(new MemoryNode(0, 0, 2 * GIB, List.of(4, 0, 0, 0, 0)),
                        new MemoryNode(1, 2 * GIB, 2 * GIB, List.of(4, 0, 0, 0, 1))),
                new NumaProperties(List.of(4, 3, 2, 1), List.of(4, 2, 2, 2, 2), cpuAssociativity, Map.of()),
                new BootSource.Builtin(BuiltinGuest.HELLO), mmu);
    }

    private static List<Scenario> scenarios(Path kernel, Path initrd) {
        BootSource hello = new BootSource.Builtin(BuiltinGuest.HELLO);
        return List.of(
                new Scenario("1cpu-1G-radix", "pseries-1cpu-1G", oneCpu(MmuMode.RADIX, hello)),
                new Scenario("1cpu-1G-hash", "pseries-1cpu-1G", oneCpu(MmuMode.HASH, hello)),
                new Scenario("4cpu-4G-2numa-radix", "pseries-4cpu-4G-2numa", fourCpusTwoNodes(MmuMode.RADIX)),
                new Scenario("4cpu-4G-2numa-hash", "pseries-4cpu-4G-2numa", fourCpusTwoNodes(MmuMode.HASH)),
                new Scenario("1cpu-1G-phb1", "pseries-1cpu-1G-phb1", oneCpu(MmuMode.RADIX, hello)),
                new Scenario("1cpu-1G-kernel-initrd", "pseries-1cpu-1G-minimal-kernel-initrd",
                        oneCpu(MmuMode.RADIX, new BootSource.Kernel(kernel, Optional.of(initrd), "console=hvc0"))));
    }

    @Test
    void everyDifferenceFromQemuIsIntended(@TempDir Path dir) throws Exception {
        Path kernel = TestElf.spinningKernel(dir);
        Path initrd = dir.resolve("initrd");
        Files.write(initrd, new byte[0x1000]);
        IntendedDifferences intended = IntendedDifferences.parse(
                TestResources.text("/fdt/qemu/intended-differences.txt"));
        List<String> unexplained = new ArrayList<>();
        for (Scenario s : scenarios(kernel, initrd)) {
            byte[] qemu = TestResources.bytes("/fdt/qemu/" + s.qemuTree() + ".dtb");
            byte[] ours;
            try (SpaprMachine m = SpaprMachine.create(s.config(), (b, o, l) -> { }, Clock.systemUTC())) {
                ours = m.deviceTree();
            }
            for (DeviceTreeDifference d : DeviceTreeDifference.between(FdtReader.read(qemu).root(),
                    FdtReader.read(ours).root())) {
                if (!intended.explains(s.name(), d)) {
                    unexplained.add(s.name() + ": " + d);
                }
            }
        }
        assertThat(unexplained).as("differences from QEMU's trees not in intended-differences.txt").isEmpty();
        assertThat(intended.unused()).as("intended-differences.txt entries no scenario needs").isEmpty();
    }

    @Test
    void theListMatchesWhatItSays() {
        IntendedDifferences list = IntendedDifferences.parse("""
                # comment
                missing /rtas ibm,nmi-* : no FWNMI
                value /cpus/PowerPC,POWER9@* ibm,pa-features only=*hash : radix bit cleared
                """);
        assertThat(list.explains("x-radix", new DeviceTreeDifference(DeviceTreeDifference.Kind.MISSING, "/rtas",
                "ibm,nmi-register", ""))).isTrue();
        assertThat(list.explains("x-radix", new DeviceTreeDifference(DeviceTreeDifference.Kind.EXTRA, "/rtas",
                "ibm,nmi-register", ""))).isFalse();
        assertThat(list.explains("x-radix", new DeviceTreeDifference(DeviceTreeDifference.Kind.VALUE,
                "/cpus/PowerPC,POWER9@0", "ibm,pa-features", ""))).isFalse();
        assertThat(list.explains("x-hash", new DeviceTreeDifference(DeviceTreeDifference.Kind.VALUE,
                "/cpus/PowerPC,POWER9@0", "ibm,pa-features", ""))).isTrue();
        assertThat(list.unused()).isEmpty();
    }
}
