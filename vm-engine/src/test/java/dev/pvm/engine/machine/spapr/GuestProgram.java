package dev.pvm.engine.machine.spapr;

import dev.pvm.engine.cpu.asm.InsnAssembler;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.cpu.mmu.RadixTables;
import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.machine.BootSource;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MemoryNode;
import dev.pvm.engine.machine.MmuMode;
import dev.pvm.engine.machine.NumaProperties;
import dev.pvm.engine.machine.RunOutcome;
import dev.pvm.engine.memory.GuestMemory;
import dev.pvm.engine.testing.TestElf;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A big-endian guest kernel assembled from text for machine tests: code blocks at fixed real addresses, lines
 * {@code name:} defining labels and {@code @name} in operands standing for their address, assembled into a
 * 64 KiB ELF image loaded at 0. Plus the RTAS calling sequence and a thread-per-vCPU runner.
 */
final class GuestProgram {

    static final int IMAGE_BYTES = 0x1_0000;
    /** RTAS tokens of our table (RtasTable registration order). */
    static final int RTAS_POWER_OFF = 0x2003;
    static final int RTAS_START_CPU = 0x2006;
    private static final long MIB = 1 << 20;

    private final Map<Long, List<String>> blocks = new TreeMap<>();

    /** Adds a block of lines at real address {@code address}. */
    GuestProgram at(long address, List<String> lines) {
        blocks.put(address, lines);
        return this;
    }

    /** An RTAS call with its buffer at 0x2000: token, nargs, nret, args from r10 on, then H_RTAS. */
    static List<String> rtas(int token, int nargs, int nret) {
        List<String> c = new ArrayList<>(List.of(
                "addi r8,0," + token, "stw r8,0x2000(0)",
                "addi r8,0," + nargs, "stw r8,0x2004(0)",
                "addi r8,0," + nret, "stw r8,0x2008(0)"));
        for (int i = 0; i < nargs; i++) {
            c.add("stw r" + (10 + i) + "," + (0x200c + 4 * i) + "(0)");
        }
        c.addAll(List.of("addi r4,0,0x2000", "addi r3,0,0", "ori r3,r3,0xf000", "sc 1"));
        return c;
    }

    /** start-cpu(id, entry, r3) through RTAS. */
    static List<String> startCpu(int id, String entryLabel, int r3) {
        List<String> c = new ArrayList<>(List.of("addi r10,0," + id, "addis r11,0,@" + entryLabel + "@h",
                "ori r11,r11,@" + entryLabel + "@l", "addi r12,0," + r3));
        c.addAll(rtas(RTAS_START_CPU, 3, 1));
        return c;
    }

    static List<String> powerOff() {
        List<String> c = new ArrayList<>(List.of("addi r10,0,-1", "addi r11,0,-1"));
        c.addAll(rtas(RTAS_POWER_OFF, 2, 1));
        c.add("b .");
        return c;
    }

    /** Loads the 64-bit {@code value} into {@code reg} (five instructions). */
    static List<String> load64(String reg, long value) {
        return List.of("addis " + reg + ",0," + (short) (value >>> 48), "ori " + reg + "," + reg + ","
                        + ((value >>> 32) & 0xffff), "rldicr " + reg + "," + reg + ",32,31",
                "oris " + reg + "," + reg + "," + ((value >>> 16) & 0xffff), "ori " + reg + "," + reg + ","
                        + (value & 0xffff));
    }

    /**
     * Radix tables with the process table at 0x80000 and directories from 0x90000, PID 0 mapping EA x to real x
     * below 0x80000 in 64 KiB pages with leaf bits {@code flags}.
     */
    static RadixTables identityTables(GuestMemory memory, long flags) {
        RadixTables tables = new RadixTables(memory, 0x8_0000, 0x9_0000);
        for (long x = 0; x < 0x8_0000; x += 0x1_0000) {
            tables.map(0, x, x, 16, flags);
        }
        return tables;
    }

    /** The image: every block assembled at its address. */
    byte[] image() {
        Map<String, Long> labels = new HashMap<>();
        for (Map.Entry<Long, List<String>> e : blocks.entrySet()) {
            long a = e.getKey();
            for (String line : e.getValue()) {
                if (line.endsWith(":")) {
                    labels.put(line.substring(0, line.length() - 1), a);
                } else {
                    a += 4;
                }
            }
        }
        InsnAssembler asm = new InsnAssembler(IsaTable.ppc64());
        int[] words = new int[IMAGE_BYTES / 4];
        for (Map.Entry<Long, List<String>> e : blocks.entrySet()) {
            long a = e.getKey();
            for (String line : e.getValue()) {
                if (line.endsWith(":")) {
                    continue;
                }
                String text = line.replace(" .", " " + a);
                // Longest names first, so that @loop does not replace the start of @loop2.
                for (Map.Entry<String, Long> l : labels.entrySet().stream()
                        .sorted((x, y) -> y.getKey().length() - x.getKey().length()).toList()) {
                    long v = l.getValue();
                    text = text.replace("@" + l.getKey() + "@h", Long.toString(v >>> 16))
                            .replace("@" + l.getKey() + "@l", Long.toString(v & 0xffff))
                            .replace("@" + l.getKey(), Long.toString(v));
                }
                words[(int) (a / 4)] = asm.assemble(text, a);
                a += 4;
            }
        }
        return TestElf.executable(ByteOrder.BIG_ENDIAN, 0, 0, 0, TestElf.code(ByteOrder.BIG_ENDIAN, words),
                IMAGE_BYTES);
    }

    /** A machine of {@code vcpus} vCPUs and 256 MiB booting this program. */
    SpaprMachine machine(Path dir, int vcpus, MmuMode mmu, ExecutionMode mode) throws Exception {
        Path file = dir.resolve("vmlinux");
        Files.write(file, image());
        MachineConfig config = new MachineConfig("smp", "pseries-4.1", vcpus,
                List.of(new MemoryNode(0, 0, 256 * MIB, List.of())), NumaProperties.NONE,
                new BootSource.Kernel(file, Optional.empty(), ""), mmu);
        return SpaprMachine.create(config, (b, o, l) -> { }, Clock.systemUTC(), mode);
    }

    /** Runs every vCPU on a thread of its own until the guest ends or {@code seconds} pass; the outcomes. */
    static RunOutcome[] runOnThreads(SpaprMachine m, double seconds) throws InterruptedException {
        int n = m.vcpuCount();
        RunOutcome[] outcomes = new RunOutcome[n];
        Thread[] threads = new Thread[n];
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        for (int i = 0; i < n; i++) {
            int index = i;
            threads[i] = Thread.ofPlatform().name("test-vcpu-" + i).start(() -> {
                RunOutcome o = RunOutcome.CONTINUE;
                while (o instanceof RunOutcome.Continue && System.nanoTime() < deadline) {
                    o = m.runVcpu(index, 1 << 16);
                }
                outcomes[index] = o;
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        return outcomes;
    }
}
