package dev.pvm.engine.machine.spapr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.asm.InsnAssembler;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.machine.BootSource;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MemoryNode;
import dev.pvm.engine.machine.RunOutcome;
import dev.pvm.engine.testing.TestElf;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two vCPUs: the boot vCPU starts the secondary through RTAS start-cpu; the secondary idles in H_CEDE until its
 * decrementer interrupt (handler at 0x900), idles again until the boot vCPU's H_PROD, and the boot vCPU powers
 * off once it saw both. Run on one thread ({@link SpaprMachine#run}) and on a thread per vCPU.
 */
class SmpMachineTest {

    private static final long MIB = 1 << 20;

    private static Path kernel(Path dir) throws Exception {
        Map<Long, List<String>> code = new TreeMap<>();
        List<String> boot = new ArrayList<>(List.of("addi r10,0,1", "addi r11,0,0x400", "addi r12,0,0x77"));
        boot.addAll(GuestProgram.rtas(0x2006, 3, 1));                // start-cpu(1, 0x400, 0x77)
        boot.addAll(List.of(
                "lwz r5,0x3000(0)", "cmpi cr0,0,r5,1", "bc 4,2,.-8",      // wait for the secondary's DEC
                "addi r3,0,0xe8", "addi r4,0,1", "sc 1",                 // H_PROD(1)
                "lwz r5,0x3004(0)", "cmpi cr0,0,r5,1", "bc 4,2,.-8"));   // wait until it woke from the prod
        boot.add("addi r10,0,-1");
        boot.add("addi r11,0,-1");
        boot.addAll(GuestProgram.rtas(0x2003, 2, 1));                // power-off
        boot.add("b .");
        code.put(0L, boot);
        code.put(0x400L, List.of(
                "stw r3,0x3008(0)",                                      // r3 from start-cpu
                "addi r9,0,2000", "mtspr 22,r9",                         // DEC: about 4 us
                "addi r3,0,0xe0", "sc 1",                                // H_CEDE: wakes for the DEC
                "addi r3,0,0xe0", "sc 1",                                // H_CEDE: wakes for the prod
                "addi r9,0,1", "stw r9,0x3004(0)",
                "b ."));
        code.put(0x900L, List.of(                                        // decrementer handler
                "addi r9,0,1", "stw r9,0x3000(0)",
                "addis r9,0,0x7fff", "mtspr 22,r9",                      // clear the exception
                "mfspr r20,26", "stw r20,0x300c(0)",                     // SRR0: after the first H_CEDE
                "rfid"));
        InsnAssembler asm = new InsnAssembler(IsaTable.ppc64());
        int[] words = new int[0x1000 / 4];
        for (Map.Entry<Long, List<String>> e : code.entrySet()) {
            long a = e.getKey();
            for (String line : e.getValue()) {
                // Branch targets are absolute for the assembler; "." is the instruction's own address.
                String text = line.replace(".-8", Long.toString(a - 8)).replace(" .", " " + a);
                words[(int) (a / 4)] = asm.assemble(text, a);
                a += 4;
            }
        }
        Path file = dir.resolve("vmlinux");
        Files.write(file, TestElf.executable(ByteOrder.BIG_ENDIAN, 0, 0, 0,
                TestElf.code(ByteOrder.BIG_ENDIAN, words), 0x1000));
        return file;
    }

    private static SpaprMachine machine(Path dir) throws Exception {
        MachineConfig config = new MachineConfig("smp", "pseries-4.1", 2,
                List.of(new MemoryNode(0, 0, 256 * MIB, List.of())), dev.pvm.engine.machine.NumaProperties.NONE,
                new BootSource.Kernel(kernel(dir), Optional.empty(), ""));
        return SpaprMachine.create(config, (b, o, l) -> { }, Clock.systemUTC());
    }

    private static void assertRanTheProtocol(SpaprMachine m) {
        assertThat(m.memory().load32(0x3008, ByteOrder.BIG_ENDIAN)).as("r3 from start-cpu").isEqualTo(0x77);
        assertThat(m.memory().load32(0x3000, ByteOrder.BIG_ENDIAN)).as("decrementer taken").isEqualTo(1);
        assertThat(m.memory().load32(0x3004, ByteOrder.BIG_ENDIAN)).as("woken by H_PROD").isEqualTo(1);
        assertThat(m.memory().load32(0x300c, ByteOrder.BIG_ENDIAN)).as("SRR0 = after sc").isEqualTo(0x414);
    }

    @Test
    void secondaryStartsCedesTakesItsDecrementerAndIsProddedOnOneThread(@TempDir Path dir) throws Exception {
        try (SpaprMachine m = machine(dir)) {
            assertThat(m.started(1)).isFalse();
            RunOutcome o = RunOutcome.CONTINUE;
            for (int i = 0; i < 2000 && o instanceof RunOutcome.Continue; i++) {
                o = m.run(10_000);
            }
            assertThat(o).isEqualTo(RunOutcome.POWERED_OFF);
            assertRanTheProtocol(m);
        }
    }

    @Test
    void theSameOnAThreadPerVcpu(@TempDir Path dir) throws Exception {
        try (SpaprMachine m = machine(dir)) {
            RunOutcome[] outcomes = new RunOutcome[2];
            Thread[] threads = new Thread[2];
            for (int i = 0; i < 2; i++) {
                int index = i;
                threads[i] = Thread.ofPlatform().start(() -> {
                    RunOutcome o = RunOutcome.CONTINUE;
                    long deadline = System.nanoTime() + 20_000_000_000L;
                    while (o instanceof RunOutcome.Continue && System.nanoTime() < deadline) {
                        o = m.runVcpu(index, 10_000);
                    }
                    outcomes[index] = o;
                });
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(outcomes).containsOnly(RunOutcome.POWERED_OFF);
            assertRanTheProtocol(m);
        }
    }
}
