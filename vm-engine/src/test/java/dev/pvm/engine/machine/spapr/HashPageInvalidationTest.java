package dev.pvm.engine.machine.spapr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.translate.ExecutionMode;
import dev.pvm.engine.machine.MmuMode;
import dev.pvm.engine.machine.RunOutcome;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A hash guest changes an HPTE both vCPUs translate through, and neither may use the old translation once the
 * hcall returned (PAPR: H_REMOVE and H_PROTECT invalidate the HPTE's translations on every processor). The TLB
 * drops only the entries filled from the changed HPTE, so a wrong choice there shows up here as a stale read or
 * a store that should have faulted, interpreted and translated, with 4 KiB and 64 KiB pages (the pseries machine
 * caps pages at 64 KiB; HashMmuTest covers 16 MiB pages).
 *
 * <p>vCPU 0 maps EA {@link #EA} to page A (holding 1), starts vCPU 1, which reads through EA in a loop, then:
 * reads and stores through EA itself (a writable TLB entry), H_REMOVE, H_ENTER of the same page to B (holding 2),
 * reads again, raises a flag; vCPU 1 reading the flag and then 1 is a violation (it stops there). Last, H_PROTECT makes the page
 * read-only, and vCPU 0's next store must take a data storage interrupt.
 */
class HashPageInvalidationTest {

    private static final long EA = 0x4000_0000L + 0x12_0000L;
    private static final long VSID = 0x5_4321L;
    private static final long PAGE_A = 0x10_0000L;
    private static final long PAGE_B = 0x20_0000L;
    /** Flags and results in low real memory. */
    private static final int LAST_READ = 0x3600;
    private static final int READER_DONE = 0x3604;
    private static final int REPOINTED = 0x3608;
    private static final int STALE_READ = 0x360c;
    private static final int OWN_READ_AFTER = 0x3624;
    private static final int STORE_AFTER_PROTECT = 0x3628;
    private static final int PROTECTION_FAULT = 0x362c;
    private static final int STATUS = 0x3640;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"INTERPRETER, 12", "INTERPRETER, 16", "TRANSLATOR, 12", "TRANSLATOR, 16"})
    void noVcpuUsesATranslationOfARemovedOrProtectedHpte(ExecutionMode mode, int pageShift) throws Exception {
        long offset = EA & 0x0FFF_FFFFL;
        long groupMask = (1L << (HptSizing.shiftForRam(256L << 20) - 7)) - 1;
        long group = ((VSID ^ (offset >>> pageShift)) & groupMask) * 8;
        boolean large = pageShift == 16;
        long pte0 = (VSID << 12) | ((offset >>> 23) << 7) | (large ? 4 : 0) | 1;
        // WIMG = M, PP = 2 (read/write under key 0); a 64 KiB page has L = 1 and LP = 0001 in RPN bits 12:15.
        long pte1Bits = 0x10 | 2 | (large ? 0x1000 : 0);
        List<String> slb = new ArrayList<>(GuestProgram.load64("r20", (VSID << 12) | (large ? 0x110 : 0)));
        slb.addAll(GuestProgram.load64("r21", (EA & ~0x0FFF_FFFFL) | 0x0800_0000L));
        slb.addAll(GuestProgram.load64("r28", EA));
        slb.addAll(List.of("slbmte r20,r21", "mfmsr r9", "ori r19,r9,0x10"));

        List<String> main = new ArrayList<>(List.of("main:", "addi r31,0,0"));
        main.addAll(slb);
        main.addAll(GuestProgram.load64("r22", group));
        main.addAll(GuestProgram.load64("r23", pte0));
        main.addAll(GuestProgram.load64("r24", PAGE_A | pte1Bits));
        main.addAll(GuestProgram.load64("r27", PAGE_B | pte1Bits));
        main.addAll(hcall(8, STATUS, "addi r4,0,0", "or r5,r22,r22", "or r6,r23,r23", "or r7,r24,r24"));
        main.add("or r25,r4,r4");
        main.addAll(GuestProgram.startCpu(1, "reader", 0));
        main.addAll(List.of(
                "waitold:", "lwz r10," + LAST_READ + "(0)", "cmpi cr0,0,r10,1", "bc 4,2,@waitold",
                "addi r13,0,7",
                "mtmsrd r19,0", "ld r12,0(r28)", "std r13,8(r28)", "mtmsrd r9,0"));
        main.addAll(hcall(4, STATUS + 4, "addi r4,0,0", "or r5,r25,r25", "addi r6,0,0"));
        main.addAll(hcall(8, STATUS + 8, "addi r4,0,0", "or r5,r22,r22", "or r6,r23,r23", "or r7,r27,r27"));
        main.addAll(List.of("or r26,r4,r4",
                "mtmsrd r19,0", "ld r12,0(r28)", "mtmsrd r9,0", "stw r12," + OWN_READ_AFTER + "(0)",
                "addi r10,0,1", "stw r10," + REPOINTED + "(0)",
                "waitnew:", "lwz r10," + READER_DONE + "(0)", "cmpi cr0,0,r10,1", "bc 4,2,@waitnew",
                "mtmsrd r19,0", "std r13,8(r28)", "mtmsrd r9,0"));
        // H_PROTECT to PP = 3: read-only for everyone.
        main.addAll(hcall(0x18, STATUS + 12, "addi r4,0,3", "or r5,r26,r26", "addi r6,0,0"));
        main.addAll(List.of("mtmsrd r19,0", "std r13,16(r28)", "mtmsrd r9,0",
                "addi r10,0,1", "stw r10," + STORE_AFTER_PROTECT + "(0)"));
        main.addAll(GuestProgram.powerOff());

        List<String> reader = new ArrayList<>(List.of("reader:", "addi r31,0,1"));
        reader.addAll(slb);
        reader.addAll(List.of(
                "read:",
                "lwz r10," + REPOINTED + "(0)", "sync 0",
                "mtmsrd r19,0", "ld r12,0(r28)", "mtmsrd r9,0",
                "stw r12," + LAST_READ + "(0)",
                "cmpi cr0,0,r10,1", "bc 4,2,@next",
                "cmpi cr0,1,r12,1", "bc 4,2,@next",
                "addi r10,0,1", "stw r10," + STALE_READ + "(0)", "b @done",
                "next:",
                "cmpi cr0,1,r12,2", "bc 4,2,@read",
                "done:",
                "addi r10,0,1", "stw r10," + READER_DONE + "(0)",
                "b ."));
        // Data storage: vCPU 1 retries (its load raced the H_REMOVE/H_ENTER pair); vCPU 0 records the fault.
        List<String> dsi = new ArrayList<>(List.of("cmpi cr0,0,r31,1", "bc 4,2,@fault", "rfid",
                "fault:", "addi r10,0,1", "stw r10," + PROTECTION_FAULT + "(0)"));
        dsi.addAll(GuestProgram.powerOff());

        GuestProgram program = new GuestProgram().at(0, List.of("b @main")).at(0x300, dsi).at(0x1000, main)
                .at(0x5000, reader);
        String previous = System.getProperty(SpaprMachine.TRANSLATE_AFTER_PROPERTY);
        // Translated: every unit translated at first use, so vCPU 0's straight-line code runs translated too.
        System.setProperty(SpaprMachine.TRANSLATE_AFTER_PROPERTY, "0");
        try (SpaprMachine m = program.machine(dir, 2, MmuMode.HASH, mode)) {
            m.memory().store64(PAGE_A, 1, ByteOrder.BIG_ENDIAN);
            m.memory().store64(PAGE_B, 2, ByteOrder.BIG_ENDIAN);

            RunOutcome[] outcomes = GuestProgram.runOnThreads(m, 30);

            assertThat(outcomes).containsOnly(RunOutcome.POWERED_OFF);
            for (int i = 0; i < 4; i++) {
                assertThat(word(m, STATUS + 4 * i)).as("hcall %d's status", i).isZero();
            }
            assertThat(word(m, OWN_READ_AFTER)).as("vCPU 0 reads the new page after H_REMOVE/H_ENTER").isEqualTo(2);
            assertThat(word(m, READER_DONE)).as("vCPU 1 finished").isEqualTo(1);
            assertThat(word(m, LAST_READ)).as("vCPU 1's last read").isEqualTo(2);
            assertThat(word(m, STALE_READ)).as("vCPU 1 read the old page after the hcalls returned").isZero();
            assertThat(m.memory().load64(PAGE_A + 8, ByteOrder.BIG_ENDIAN)).as("the store before H_REMOVE")
                    .isEqualTo(7);
            assertThat(m.memory().load64(PAGE_B + 8, ByteOrder.BIG_ENDIAN)).as("the store after H_ENTER")
                    .isEqualTo(7);
            assertThat(word(m, PROTECTION_FAULT)).as("the store after H_PROTECT faulted").isEqualTo(1);
            assertThat(word(m, STORE_AFTER_PROTECT)).as("the store after H_PROTECT went through").isZero();
            assertThat(m.memory().load64(PAGE_B + 16, ByteOrder.BIG_ENDIAN)).isZero();
        } finally {
            if (previous == null) {
                System.clearProperty(SpaprMachine.TRANSLATE_AFTER_PROPERTY);
            } else {
                System.setProperty(SpaprMachine.TRANSLATE_AFTER_PROPERTY, previous);
            }
        }
    }

    /** {@code sc 1} with hcall {@code number} after {@code arguments}; its status word stored at {@code status}. */
    private static List<String> hcall(int number, int status, String... arguments) {
        List<String> c = new ArrayList<>(List.of(arguments));
        c.addAll(List.of("addi r3,0," + number, "sc 1", "stw r3," + status + "(0)"));
        return c;
    }

    private static int word(SpaprMachine m, long address) {
        return m.memory().load32(address, ByteOrder.BIG_ENDIAN);
    }
}
