package dev.pvm.engine.machine.spapr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.asm.InsnAssembler;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.cpu.mmu.RadixTables;
import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.machine.MmuMode;
import dev.pvm.engine.machine.RunOutcome;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.RamRegion;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * vCPUs on threads of their own running guest code that only works if the engine is SMP-safe (Power ISA v3.0B):
 * a lwarx/stwcx. spinlock and atomic counter (Book II 4.6: a store conditional fails once another processor
 * stored to the granule), one vCPU rewriting code another one runs (Book II 1.9), and a tlbie of a mapping another
 * vCPU uses (Book III 6.10.2: after the issuer's tlbsync/ptesync no processor uses the old translation).
 */
class SmpSafetyTest {

    private static final int ITERATIONS = 20_000;

    @TempDir
    Path dir;

    private static int word(SpaprMachine m, long address) {
        return m.memory().load32(address, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Every vCPU takes a spinlock {@value ITERATIONS} times to increment a plain counter, and increments a second
     * counter with lwarx/stwcx. alone; both end exact.
     */
    @ParameterizedTest
    @EnumSource(value = ExecutionMode.class, names = {"INTERPRETER", "TRANSLATOR"})
    void spinlockAndAtomicCountersAreExact(ExecutionMode mode) throws Exception {
        int vcpus = 3;
        List<String> boot = new ArrayList<>();
        for (int id = 1; id < vcpus; id++) {
            boot.addAll(GuestProgram.startCpu(id, "worker", 1));
        }
        boot.addAll(List.of("addi r3,0,0", "b @worker"));
        List<String> worker = new ArrayList<>(List.of("worker:",
                "addi r6,0,0x3100", "addi r7,0,0x3200", "addi r8,0,0x3300",
                "addi r9,0," + ITERATIONS, "mtspr 9,r9",
                "loop:",
                "acquire:",
                "lwarx r5,0,r6", "cmpi cr0,0,r5,0", "bc 4,2,@acquire",
                "addi r5,0,1", "stwcx. r5,0,r6", "bc 4,2,@acquire", "isync",
                "lwz r10,0(r7)", "addi r10,r10,1", "stw r10,0(r7)",
                "sync 1", "addi r5,0,0", "stw r5,0(r6)",
                "atomic:",
                "lwarx r10,0,r8", "addi r10,r10,1", "stwcx. r10,0,r8", "bc 4,2,@atomic",
                "bc 16,0,@loop",
                "addi r6,0,0x3400",
                "done:",
                "lwarx r10,0,r6", "addi r10,r10,1", "stwcx. r10,0,r6", "bc 4,2,@done",
                "cmpi cr0,0,r3,0", "bc 4,2,@park",
                "wait:",
                "lwz r10,0(r6)", "cmpi cr0,0,r10," + vcpus, "bc 4,2,@wait"));
        worker.addAll(GuestProgram.powerOff());
        worker.addAll(List.of("park:", "b @park"));
        GuestProgram program = new GuestProgram().at(0, boot).at(0x1000, worker);
        try (SpaprMachine m = program.machine(dir, vcpus, MmuMode.RADIX, mode)) {
            RunOutcome[] outcomes = GuestProgram.runOnThreads(m, 60);
            assertThat(outcomes).containsOnly(RunOutcome.POWERED_OFF);
            assertThat(word(m, 0x3200)).as("counter under the spinlock").isEqualTo(vcpus * ITERATIONS);
            assertThat(word(m, 0x3300)).as("lwarx/stwcx. counter").isEqualTo(vcpus * ITERATIONS);
        }
    }

    /**
     * vCPU 1 calls a function that returns 1 until vCPU 0 stores a new first instruction (return 2) with the
     * architected sequence (sync; icbi; sync; isync): vCPU 1 must come to run the new code, whichever vCPU
     * translated the old.
     */
    @ParameterizedTest
    @EnumSource(value = ExecutionMode.class, names = {"INTERPRETER", "TRANSLATOR"})
    void codeRewrittenByOneVcpuReachesTheOther(ExecutionMode mode) throws Exception {
        int newWord = new InsnAssembler(IsaTable.ppc64()).assemble("addi r3,0,2");
        List<String> boot = new ArrayList<>(GuestProgram.startCpu(1, "caller", 0));
        boot.addAll(List.of(
                "seen:",
                "lwz r10,0x3504(0)", "cmpi cr0,0,r10,1000", "bc 12,0,@seen",   // until it called 1000 times
                "addis r5,0," + (newWord >>> 16), "ori r5,r5," + (newWord & 0xffff),
                "addi r6,0,@function", "stw r5,0(r6)", "sync 0", "icbi 0,r6", "sync 0", "isync",
                "changed:",
                "lwz r10,0x3500(0)", "cmpi cr0,0,r10,2", "bc 4,2,@changed"));
        boot.addAll(GuestProgram.powerOff());
        List<String> caller = List.of("caller:",
                "bl @function", "stw r3,0x3500(0)",
                "lwz r10,0x3504(0)", "addi r10,r10,1", "stw r10,0x3504(0)",
                "cmpi cr0,0,r3,2", "bc 4,2,@caller",
                "b .");
        GuestProgram program = new GuestProgram().at(0, boot).at(0x1000, caller)
                .at(0x6000, List.of("function:", "addi r3,0,1", "bclr 20,0"));
        try (SpaprMachine m = program.machine(dir, 2, MmuMode.RADIX, mode)) {
            RunOutcome[] outcomes = GuestProgram.runOnThreads(m, 60);
            assertThat(outcomes).as("vCPU 1 saw the new code and vCPU 0 powered off")
                    .containsOnly(RunOutcome.POWERED_OFF);
            assertThat(word(m, 0x3500)).isEqualTo(2);
        }
    }

    /**
     * Radix, GTSE: vCPU 1 reads a doubleword through EA 0x100000 in a loop; vCPU 0 repoints the PTE at another page
     * and runs ptesync; tlbie; eieio; tlbsync; ptesync, then sets a flag. Once vCPU 1 sees the flag (and a sync),
     * it must read the new page: a stale TLB entry after the sequence is recorded as a violation.
     */
    @ParameterizedTest
    @EnumSource(value = ExecutionMode.class, names = {"INTERPRETER", "TRANSLATOR"})
    void tlbieReachesTheOtherVcpuBeforeTlbsyncCompletes(ExecutionMode mode) throws Exception {
        long page = 0x10_0000;
        long rw = RadixTables.R | RadixTables.C | RadixTables.READ_WRITE | RadixTables.EXECUTE;
        // The PTE is written by the test before the machine runs; its address and new value go into the code.
        long pteAddress;
        List<String> boot = new ArrayList<>(GuestProgram.startCpu(1, "reader", 0));
        boot.addAll(List.of("old:", "lwz r10,0x3600(0)", "cmpi cr0,0,r10,1", "bc 4,2,@old"));
        boot.add("PTE");
        boot.addAll(List.of("std r5,0(r6)", "sync 2",
                "addis r7,0,0x10", "ori r7,r7,0xa0", "addi r8,0,0",           // EA, AP = 64K; PID 0
                "tlbie r7,r8,0,1,1", "mbar 0", "tlbsync", "sync 2",
                "addi r9,0,1", "stw r9,0x3608(0)",
                "new:", "lwz r10,0x3604(0)", "cmpi cr0,0,r10,1", "bc 4,2,@new"));
        boot.addAll(GuestProgram.powerOff());
        List<String> reader = List.of("reader:",
                "mfmsr r9", "ori r9,r9,0x30", "mtmsrd r9,0",                  // IR and DR on: identity-mapped
                "addis r11,0,0x10",
                "read:",
                "lwz r10,0x3608(0)", "sync 0", "ld r12,0(r11)", "stw r12,0x3600(0)",
                "cmpi cr0,0,r10,1", "bc 4,2,@next",
                "cmpi cr0,1,r12,1", "bc 4,2,@next",
                "addi r9,0,1", "stw r9,0x360c(0)",                              // stale translation used
                "next:",
                "cmpi cr0,1,r12,2", "bc 4,2,@read",
                "addi r9,0,1", "stw r9,0x3604(0)",
                "b .");
        // The tables are deterministic: where the PTE lands is found by building them in scratch memory first.
        try (AddressSpace scratch = new AddressSpace(List.of(RamRegion.allocate(0, 1 << 20)))) {
            pteAddress = GuestProgram.identityTables(scratch, rw).map(0, page, 0x6_0000, 16, rw);
        }
        long newPte = RadixTables.VALID | RadixTables.LEAF | 0x7_0000 | rw;
        GuestProgram program = new GuestProgram().at(0, replacePte(boot, pteAddress, newPte)).at(0x1000, reader);
        try (SpaprMachine m = program.machine(dir, 2, MmuMode.RADIX, mode)) {
            RadixTables tables = GuestProgram.identityTables(m.memory(), rw);
            assertThat(tables.map(0, page, 0x6_0000, 16, rw)).isEqualTo(pteAddress);
            m.memory().store64(0x6_0000, 1, ByteOrder.BIG_ENDIAN);
            m.memory().store64(0x7_0000, 2, ByteOrder.BIG_ENDIAN);
            // What H_REGISTER_PROC_TBL(NEW|RADIX|GTSE, table, 0, 0) leaves.
            m.mmu().registerProcessTable(null, 0x8000_0000_0000_0000L | tables.processTable(), true, true);

            RunOutcome[] outcomes = GuestProgram.runOnThreads(m, 60);
            assertThat(outcomes).containsOnly(RunOutcome.POWERED_OFF);
            assertThat(word(m, 0x3604)).as("vCPU 1 came to read the new page").isEqualTo(1);
            assertThat(word(m, 0x360c)).as("reads through the old translation after tlbsync; ptesync").isZero();
        }
    }

    /** The boot code with its "PTE" line replaced by loading r5 = the new PTE and r6 = its address. */
    private static List<String> replacePte(List<String> boot, long address, long pte) {
        List<String> out = new ArrayList<>();
        for (String line : boot) {
            if (line.equals("PTE")) {
                out.addAll(GuestProgram.load64("r5", pte));
                out.addAll(GuestProgram.load64("r6", address));
            } else {
                out.add(line);
            }
        }
        return out;
    }
}
