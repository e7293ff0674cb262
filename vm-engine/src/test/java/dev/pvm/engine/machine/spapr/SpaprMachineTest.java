package dev.pvm.engine.machine.spapr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.asm.InsnAssembler;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.fdt.FdtNode;
import dev.pvm.engine.fdt.FdtReader;
import dev.pvm.engine.fdt.FdtTree;
import dev.pvm.engine.loader.BuiltinGuest;
import dev.pvm.engine.machine.BootSource;
import dev.pvm.engine.machine.InvalidVmConfigException;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MemoryNode;
import dev.pvm.engine.machine.NumaProperties;
import dev.pvm.engine.machine.RunOutcome;
import dev.pvm.engine.testing.TestElf;
import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpaprMachineTest {

    static final long MIB = 1 << 20;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    static MachineConfig config(BootSource boot, int vcpus, MemoryNode... nodes) {
        return new MachineConfig("test", "pseries-4.1", vcpus, List.of(nodes), NumaProperties.NONE, boot);
    }

    static MachineConfig hello(BuiltinGuest guest) {
        return config(new BootSource.Builtin(guest), 1, new MemoryNode(0, 0, 256 * MIB, List.of()));
    }

    private SpaprMachine create(MachineConfig config) {
        return SpaprMachine.create(config, console::write, Clock.systemUTC());
    }

    /** Runs until the machine stops; a guest that loops forever fails the test after a billion instructions. */
    static RunOutcome runToEnd(SpaprMachine m) {
        for (int i = 0; i < 1000; i++) {
            RunOutcome o = m.run(1_000_000);
            if (!(o instanceof RunOutcome.Continue)) {
                return o;
            }
        }
        throw new AssertionError("guest still running after 1e9 instructions");
    }

    private String text() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helloLittleEndianGreetsAndPowersOff() {
        try (SpaprMachine m = create(hello(BuiltinGuest.HELLO))) {
            assertThat(runToEnd(m)).isEqualTo(RunOutcome.POWERED_OFF);
            assertThat(text()).isEqualTo("Hello from a pvm POWER guest (ppc64le)\r\n"
                    + "Read from the device tree: model \"IBM pSeries (emulated by pvm)\", 256 MiB of memory\r\n");
            assertThat(m.instructions()).isGreaterThan(1000);
            // It called RTAS the way Linux does: 32-bit big-endian real mode.
            assertThat(m.cpu(0).msr).isEqualTo(Msr.ME | Msr.RI);
        }
    }

    @Test
    void statisticsCountTheGuestsHypercallsInterruptsAndInstructions() {
        try (SpaprMachine m = create(hello(BuiltinGuest.HELLO))) {
            assertThat(runToEnd(m)).isEqualTo(RunOutcome.POWERED_OFF);
            String stats = m.statistics();
            assertThat(stats).startsWith(String.format("statistics: %,d instructions", m.instructions()))
                    .contains(String.format("vCPU 0: %,d instructions, 0 H_CEDE", m.cpu(0).instructions))
                    .containsPattern("hypercalls: \\{.*H_PUT_TERM_CHAR=\\d+.*H_RTAS=1")
                    .contains("interrupts: {}");
        }
    }

    @Test
    void helloBigEndianGreetsAndPowersOff() {
        try (SpaprMachine m = create(hello(BuiltinGuest.HELLO_BE))) {
            assertThat(runToEnd(m)).isEqualTo(RunOutcome.POWERED_OFF);
            assertThat(text()).startsWith("Hello from a pvm POWER guest (ppc64)\r\n");
        }
    }

    @Test
    void helloAddsUpTheMemoryOfEveryNumaNode() {
        MachineConfig c = config(new BootSource.Builtin(BuiltinGuest.HELLO), 2,
                new MemoryNode(0, 0, 256 * MIB, List.of(4, 0, 0, 0, 0)),
                new MemoryNode(1, 256 * MIB, 512 * MIB, List.of(4, 0, 0, 0, 1)));
        try (SpaprMachine m = create(c)) {
            assertThat(runToEnd(m)).isEqualTo(RunOutcome.POWERED_OFF);
            assertThat(text()).contains(", 768 MiB of memory\r\n");
        }
    }

    @Test
    void entersTheGuestLikeAKernel() {
        try (SpaprMachine m = create(hello(BuiltinGuest.HELLO))) {
            SpaprBootInfo boot = m.bootInfo();
            assertThat(m.cpu(0).nia).isEqualTo(boot.entry()).isZero();
            assertThat(m.cpu(0).gpr[3]).isEqualTo(boot.fdtAddress()).isEqualTo(255 * MIB);
            assertThat(m.cpu(0).msr).isEqualTo(Msr.SF | Msr.ME);
            byte[] inMemory = new byte[m.deviceTree().length];
            m.memory().read(boot.fdtAddress(), inMemory);
            assertThat(inMemory).isEqualTo(m.deviceTree());
            FdtTree tree = FdtReader.read(m.deviceTree());
            FdtNode rtas = tree.require("/rtas");
            assertThat(rtas.requireProperty("linux,rtas-entry").u32()).isEqualTo((int) boot.rtasBase());
            assertThat(m.memory().load32(boot.rtasBase() + 12, ByteOrder.BIG_ENDIAN)).as("sc 1").isEqualTo(0x44000022);
            assertThat(tree.reservations().getFirst()).containsExactly(boot.rtasBase(), 0x10000L);
        }
    }

    /** Assembles instructions for a big-endian kernel linked at 0xc000000000000000, loaded at physical 0. */
    private static Path kernel(Path dir, List<String> code, long memorySize) throws Exception {
        InsnAssembler asm = new InsnAssembler(IsaTable.ppc64());
        int[] words = new int[code.size()];
        for (int i = 0; i < words.length; i++) {
            words[i] = asm.assemble(code.get(i), 4L * i);
        }
        byte[] segment = TestElf.code(ByteOrder.BIG_ENDIAN, words);
        Path file = dir.resolve("vmlinux");
        Files.write(file, TestElf.executable(ByteOrder.BIG_ENDIAN, 0xc000_0000_0000_0000L, 0xc000_0000_0000_0000L, 0,
                segment, Math.max(memorySize, segment.length)));
        return file;
    }

    private static MachineConfig kernelConfig(Path kernel, Optional<Path> initrd, String cmdline) {
        return config(new BootSource.Kernel(kernel, initrd, cmdline), 1, new MemoryNode(0, 0, 256 * MIB, List.of()));
    }

    @Test
    void illegalInstructionWithoutAHandlerFailsTheGuestWithAddressWordAndDisassembly(@TempDir Path dir)
            throws Exception {
        // The program interrupt goes to 0x700, where this guest has nothing (an illegal word): the guest fails
        // with the interrupt that started it.
        Path k = kernel(dir, List.of("addi r3,0,1", "mtspr 4,r3"), 0);
        try (SpaprMachine m = create(kernelConfig(k, Optional.empty(), ""))) {
            RunOutcome o = runToEnd(m);
            assertThat(o).isEqualTo(new RunOutcome.Failed("vCPU 0: program interrupt: illegal instruction (mtspr of "
                    + "SPR 4, which this CPU does not implement) at 0x4: 0x7c6403a6 (mtspr   4,r3), and the guest "
                    + "has no handler for it (program interrupt: illegal instruction at 0x700: 0x00000000 (.long "
                    + "0x0), at the entry of vector 0x700)"));
            assertThat(m.cpu(0).srr0).isEqualTo(0x700);
        }
    }

    @Test
    void accessToUnbackedMemoryFailsTheGuest(@TempDir Path dir) throws Exception {
        Path k = kernel(dir, List.of("addis r3,0,0x4000", "ld r4,0(r3)"), 0);
        try (SpaprMachine m = create(kernelConfig(k, Optional.empty(), ""))) {
            assertThat(runToEnd(m)).isEqualTo(new RunOutcome.Failed("vCPU 0: machine check: load of 8 bytes at "
                    + "unbacked guest physical address 0x40000000 at 0x4: 0xe8830000 (ld      r4,0(r3)), and the "
                    + "guest has no handler for it (program interrupt: illegal instruction at 0x700: 0x00000000 "
                    + "(.long 0x0), at the entry of vector 0x700)"));
        }
    }

    @Test
    void systemRebootResetsTheMachineAndKeepsRam(@TempDir Path dir) throws Exception {
        // Boot 1 finds the counter at 0x1000 zero, bumps it and reboots; boot 2 finds 1 and powers off.
        List<String> code = new ArrayList<>(List.of(
                "lwz r6,0x1000(0)",             // 0x00
                "addi r7,r6,1",                 // 0x04
                "stw r7,0x1000(0)",             // 0x08
                "addi r8,0,0x2004",             // 0x0c system-reboot
                "addi r9,0,0",                  // 0x10 nargs 0
                "cmpi cr0,0,r6,0",              // 0x14
                "bc 12,2,0x28",                 // 0x18 first boot: reboot
                "addi r8,0,0x2003",             // 0x1c power-off
                "addi r9,0,2",                  // 0x20 nargs 2
                "addi r10,0,-1",                // 0x24
                "stw r8,0x2000(0)",             // 0x28 token
                "stw r9,0x2004(0)",             // 0x2c nargs
                "addi r11,0,1",                 // 0x30
                "stw r11,0x2008(0)",            // 0x34 nret 1
                "stw r10,0x200c(0)",            // 0x38 args (ignored by reboot)
                "stw r10,0x2010(0)",            // 0x3c
                "addi r4,0,0x2000",             // 0x40 argument buffer
                "addi r3,0,0",                  // 0x44
                "ori r3,r3,0xf000",             // 0x48 H_RTAS
                "sc 1",                         // 0x4c
                "b 0x50"));                     // 0x50 (the machine stops at the call)
        try (SpaprMachine m = create(kernelConfig(kernel(dir, code, 0), Optional.empty(), ""))) {
            assertThat(runToEnd(m)).isEqualTo(RunOutcome.POWERED_OFF);
            assertThat(m.memory().load32(0x1000, ByteOrder.BIG_ENDIAN)).isEqualTo(2);
            assertThat(m.instructions()).isEqualTo(19 + 18);
        }
    }

    @Test
    void kernelInitrdAndCommandLineAreInTheTree(@TempDir Path dir) throws Exception {
        Path k = kernel(dir, List.of("b 0"), 0x12_3400);
        Path initrd = dir.resolve("initrd");
        Files.write(initrd, "initrd-bytes".getBytes(StandardCharsets.US_ASCII));
        try (SpaprMachine m = create(kernelConfig(k, Optional.of(initrd), "console=hvc0 quiet"))) {
            long[] range = m.bootInfo().initrd().orElseThrow();
            assertThat(range).containsExactly(0x13_0000, 0x13_000c);
            byte[] back = new byte[12];
            m.memory().read(0x13_0000, back);
            assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo("initrd-bytes");
            FdtNode chosen = FdtReader.read(m.deviceTree()).require("/chosen");
            assertThat(chosen.requireProperty("bootargs").string()).isEqualTo("console=hvc0 quiet");
            assertThat(chosen.requireProperty("linux,initrd-start").u32()).isEqualTo(0x13_0000);
            assertThat(chosen.requireProperty("linux,initrd-end").u32()).isEqualTo(0x13_000c);
        }
    }

    @Test
    void badBootImagesNameTheField(@TempDir Path dir) throws Exception {
        Path garbage = dir.resolve("garbage");
        Files.writeString(garbage, "not a kernel at all, just some text that is long enough for a header ...");
        assertThatThrownBy(() -> create(kernelConfig(garbage, Optional.empty(), "")))
                .isInstanceOfSatisfying(InvalidVmConfigException.class,
                        e -> assertThat(e.field()).isEqualTo("spec.boot.kernel.kernel_path"))
                .hasMessageContaining("not an ELF file");
        assertThatThrownBy(() -> create(kernelConfig(dir.resolve("missing"), Optional.empty(), "")))
                .hasMessageContaining("no such file");
        Path huge = kernel(dir, List.of("b 0"), 300 * MIB);
        assertThatThrownBy(() -> create(kernelConfig(huge, Optional.empty(), "")))
                .hasMessageContaining("above 0xfef0000 where RTAS and the device tree go");
        Path k = kernel(dir, List.of("b 0"), 0);
        assertThatThrownBy(() -> create(kernelConfig(k, Optional.of(dir.resolve("no-initrd")), "")))
                .isInstanceOfSatisfying(InvalidVmConfigException.class,
                        e -> assertThat(e.field()).isEqualTo("spec.boot.kernel.initrd_path"));
    }
}
