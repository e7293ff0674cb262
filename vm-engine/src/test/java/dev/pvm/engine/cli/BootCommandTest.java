package dev.pvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.fdt.FdtNode;
import dev.pvm.engine.fdt.FdtProperty;
import dev.pvm.engine.fdt.FdtReader;
import dev.pvm.engine.fdt.FdtTree;
import dev.pvm.engine.loader.BuiltinGuest;
import dev.pvm.engine.testing.TestElf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class BootCommandTest {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private int boot(String... args) {
        BootCommand command = new BootCommand();
        command.console = console;
        command.input = new ByteArrayInputStream(new byte[0]);
        command.diagnostics = new PrintStream(diagnostics, true, StandardCharsets.UTF_8);
        CommandLine cli = new CommandLine(command);
        cli.setErr(new java.io.PrintWriter(command.diagnostics, true));
        return cli.execute(args);
    }

    private String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    private String diagnostics() {
        return diagnostics.toString(StandardCharsets.UTF_8);
    }

    private FdtTree tree(Path dtb) throws Exception {
        return FdtReader.read(Files.readAllBytes(dtb));
    }

    /** An address property of one or two cells (Linux reads either for the initrd). */
    private static long address(FdtNode node, String property) {
        FdtProperty p = node.requireProperty(property);
        return p.length() == 4 ? Integer.toUnsignedLong(p.u32()) : p.u64();
    }

    private static int[] cells(FdtNode node, String property) {
        return node.requireProperty(property).cells();
    }

    @Test
    void bootsTheBuiltinGuestToPowerOff() {
        assertThat(boot("--builtin", "hello", "--memory-mib", "512")).as(diagnostics()).isEqualTo(BootCommand.POWERED_OFF);
        assertThat(console()).startsWith("Hello from a pvm POWER guest (ppc64le)\r\n").contains("512 MiB of memory");
        assertThat(diagnostics()).contains("pseries, 1 vCPU(s), 512 MiB in 1 NUMA node(s), radix MMU, translator")
                .contains("guest powered off after").doesNotContain("statistics:");
    }

    @Test
    void statsPrintsWhatTheMachineCountedWhenTheRunEnds() {
        assertThat(boot("--builtin", "hello", "--stats")).as(diagnostics()).isEqualTo(BootCommand.POWERED_OFF);
        assertThat(diagnostics()).containsPattern("guest powered off after [^\\n]*\\nstatistics: [0-9,]+ instructions")
                .contains("vCPU 0: ").contains("hypercalls: {");
    }

    @Test
    void bootsAKernelFileWithInitrdAndCommandLine() throws Exception {
        Path kernel = Files.write(dir.resolve("hello-be.elf"), BuiltinGuest.HELLO_BE.elf());
        Path initrd = Files.write(dir.resolve("initrd"), new byte[4096]);
        Path dtb = dir.resolve("boot.dtb");
        assertThat(boot("--kernel", kernel.toString(), "--initrd", initrd.toString(), "--append",
                "console=hvc0 quiet", "--mmu", "hash", "--cpu-mode", "interpreter", "--dtb", dtb.toString()))
                .as(diagnostics()).isEqualTo(BootCommand.POWERED_OFF);
        assertThat(console()).startsWith("Hello from a pvm POWER guest (ppc64)\r\n").contains("1024 MiB of memory");
        assertThat(diagnostics()).contains("hash MMU, interpreter; kernel " + kernel);
        FdtNode chosen = tree(dtb).require("/chosen");
        assertThat(chosen.requireProperty("bootargs").string()).isEqualTo("console=hvc0 quiet");
        assertThat(address(chosen, "linux,initrd-end") - address(chosen, "linux,initrd-start")).isEqualTo(4096);
    }

    @Test
    void theMmuOptionReachesTheDeviceTree() throws Exception {
        Path radix = dir.resolve("radix.dtb");
        Path hash = dir.resolve("hash.dtb");
        assertThat(boot("--builtin", "hello", "--dtb", radix.toString())).isEqualTo(BootCommand.POWERED_OFF);
        assertThat(boot("--builtin", "hello", "--mmu", "hash", "--dtb", hash.toString()))
                .isEqualTo(BootCommand.POWERED_OFF);
        // Option vector 5's radix bits (byte 24) and pa-features tell the kernel which MMU it has.
        for (String property : new String[] {"/chosen:ibm,architecture-vec-5", "/cpus/PowerPC,POWER9@0:ibm,pa-features"}) {
            String[] at = property.split(":");
            assertThat(tree(hash).require(at[0]).requireProperty(at[1]))
                    .as(property).isNotEqualTo(tree(radix).require(at[0]).requireProperty(at[1]));
        }
    }

    /** QEMU 7.2's pseries-7.2 tree for 4 vCPUs, 4 GiB in two nodes (shared/facts/qemu-dtb/pseries-4cpu-4G-2numa.dts). */
    @Test
    void splitsMemoryAndVcpusOverNumaNodesAsTheNewestMachineDoes() throws Exception {
        Path dtb = dir.resolve("numa.dtb");
        assertThat(boot("--builtin", "hello", "--vcpus", "4", "--memory-mib", "1024", "--numa-nodes", "2",
                "--dtb", dtb.toString())).as(diagnostics()).isEqualTo(BootCommand.POWERED_OFF);
        assertThat(console()).contains("1024 MiB of memory");
        FdtTree t = tree(dtb);
        assertThat(cells(t.require("/memory@0"), "ibm,associativity")).containsExactly(4, 0, 0, 0, 0);
        assertThat(cells(t.require("/memory@20000000"), "ibm,associativity")).containsExactly(4, 0, 0, 0, 1);
        assertThat(cells(t.require("/rtas"), "ibm,associativity-reference-points")).containsExactly(4, 3, 2, 1);
        assertThat(cells(t.require("/rtas"), "ibm,max-associativity-domains")).containsExactly(4, 2, 2, 2, 2);
        assertThat(cells(t.require("/cpus/PowerPC,POWER9@1"), "ibm,associativity")).containsExactly(5, 0, 0, 0, 0, 1);
        assertThat(cells(t.require("/cpus/PowerPC,POWER9@2"), "ibm,associativity")).containsExactly(5, 0, 0, 0, 1, 2);
    }

    @Test
    void olderMachineVersionsKeepTheirLegacyAssociativity() throws Exception {
        Path dtb = dir.resolve("legacy.dtb");
        assertThat(boot("--builtin", "hello", "--machine", "pseries-4.1", "--vcpus", "2", "--memory-mib", "768",
                "--numa-nodes", "2", "--dtb", dtb.toString())).as(diagnostics()).isEqualTo(BootCommand.POWERED_OFF);
        FdtTree t = tree(dtb);
        // 3 blocks over 2 nodes: the first node takes the odd one.
        assertThat(t.require("/memory@20000000")).isNotNull();
        // pseries-5.0 and older: two reference points.
        assertThat(cells(t.require("/rtas"), "ibm,associativity-reference-points")).containsExactly(4, 4);
        assertThat(cells(t.require("/rtas"), "ibm,max-associativity-domains")).containsExactly(4, 1, 1, 1, 2);
        assertThat(cells(t.require("/cpus/PowerPC,POWER9@1"), "ibm,associativity")).containsExactly(5, 0, 0, 0, 1, 8);
    }

    /** QEMU 7.2's pseries-7.2 tree for one vCPU without NUMA options (shared/facts/qemu-dtb/pseries-1cpu-1G.dts). */
    @Test
    void oneImplicitNodeGetsTheLegacyRtasProperties() throws Exception {
        Path dtb = dir.resolve("one.dtb");
        assertThat(boot("--builtin", "hello", "--dtb", dtb.toString())).isEqualTo(BootCommand.POWERED_OFF);
        FdtTree t = tree(dtb);
        assertThat(cells(t.require("/memory@0"), "ibm,associativity")).containsExactly(4, 0, 0, 0, 0);
        assertThat(cells(t.require("/rtas"), "ibm,associativity-reference-points")).containsExactly(4, 4, 2);
        assertThat(cells(t.require("/rtas"), "ibm,max-associativity-domains")).containsExactly(4, 0, 0, 0, 1);
    }

    @Test
    void aFailingGuestGetsAReportAndExitStatusOne() throws Exception {
        Path kernel = Files.write(dir.resolve("bad"), TestElf.executable(ByteOrder.BIG_ENDIAN, 0, 0, 0,
                TestElf.code(ByteOrder.BIG_ENDIAN, 0x38600007, 0x00000000), 8)); // li r3,7; .long 0
        assertThat(boot("--kernel", kernel.toString())).isEqualTo(BootCommand.GUEST_FAILED);
        assertThat(diagnostics()).contains("guest failed after").contains("at 0x4: 0x00000000 (.long 0x0)")
                .contains("vCPU 0 registers:").containsPattern("r3 *=0000000000000007");
    }

    @Test
    void stopsAtTheTimeLimitWithItsOwnStatus() throws Exception {
        Path kernel = TestElf.spinningKernel(dir);
        assertThat(boot("--kernel", kernel.toString(), "--max-seconds", "0.3")).isEqualTo(BootCommand.TIMED_OUT);
        assertThat(diagnostics()).contains("timed out after");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--memory-mib 512                                   | Missing required argument",
        "--builtin hello --kernel /vmlinux                  | mutually exclusive",
        "--builtin nope                                     | no built-in guest 'nope'",
        "--builtin hello --initrd /initrd                   | --initrd goes with --kernel",
        "--kernel /no/such/vmlinux                          | --kernel /no/such/vmlinux: no such file",
        "--builtin hello --mmu paged                        | --mmu must be radix or hash, got 'paged'",
        "--builtin hello --memory-mib 300                   | multiple of 256",
        "--builtin hello --vcpus 0                          | --vcpus must be at least 1",
        "--builtin hello --vcpus 1 --numa-nodes 2           | --numa-nodes 2 needs at least",
        "--builtin hello --machine pseries-9.9              | known versions are pseries-2.7 to pseries-8.1",
        "--builtin hello --machine q35                      | --machine must be pseries or pseries-X.Y",
        "--builtin hello --cpu-mode fast                    | unknown CPU execution mode 'fast'",
        "--builtin hello --max-seconds -1                   | --max-seconds must not be negative",
    })
    void badArgumentsExitTwoAndSayWhy(String args, String message) {
        assertThat(boot(args.split(" +"))).isEqualTo(BootCommand.BAD_ARGUMENTS);
        assertThat(diagnostics()).contains(message);
        assertThat(console()).isEmpty();
    }

    @Test
    void aKernelTooBigForTheMemoryNamesTheOption() throws Exception {
        Path kernel = Files.write(dir.resolve("big"), TestElf.executable(ByteOrder.BIG_ENDIAN, 0, 0, 0,
                TestElf.code(ByteOrder.BIG_ENDIAN, 0x48000000), 300L << 20));
        assertThat(boot("--kernel", kernel.toString(), "--memory-mib", "256")).isEqualTo(BootCommand.BAD_ARGUMENTS);
        assertThat(diagnostics()).contains("--kernel: the image ends at physical");
    }
}
