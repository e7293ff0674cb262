package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BranchOpsTest {

    private static final long C = TestCpu.CODE;
    private final TestCpu t = TestCpu.bigEndian();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void unconditionalBranchesAndLink() {
        t.code("bl 0x1010");
        t.run(1);
        assertThat(t.cpu.nia).isEqualTo(C + 0x10);
        assertThat(t.cpu.lr).isEqualTo(C + 4);
        t.cpu.nia = C;
        t.code("ba 0x200");
        t.cpu.nia = C + 4;
        t.run(1);
        assertThat(t.cpu.nia).isEqualTo(0x200);
    }

    @Test
    void bdnzLoopsUntilCtrReachesZero() {
        t.cpu.ctr = 5;
        t.code("addi r3,r3,1", "bc 16,0,0x1000");
        long done = t.run(10);
        assertThat(done).isEqualTo(10);
        assertThat(t.r(3)).isEqualTo(5);
        assertThat(t.cpu.ctr).isZero();
        assertThat(t.cpu.nia).isEqualTo(C + 8);
    }

    @Test
    void thirtyTwoBitModeTestsOnlyTheLowWordOfCtr() {
        t.cpu.setMsr(Msr.ME);
        t.cpu.ctr = 0x1_0000_0001L;
        t.code("bc 16,0,0x1000");
        t.run(1);
        assertThat(t.cpu.ctr).isEqualTo(0x1_0000_0000L);
        assertThat(t.cpu.nia).as("low word of CTR is 0: not taken").isEqualTo(C + 4);
    }

    @Test
    void conditionalBranchTestsTheCrBit() {
        t.cpu.setCrField(7, 0b0010);
        t.code("bc 12,30,0x1100", "bc 4,30,0x1200");
        t.run(1);
        assertThat(t.cpu.nia).isEqualTo(C + 0x100);
        t.cpu.nia = C + 4;
        t.run(1);
        assertThat(t.cpu.nia).as("eq is set: branch-if-false falls through").isEqualTo(C + 8);
    }

    @Test
    void branchToLinkRegisterReadsLrBeforeLinking() {
        t.cpu.lr = 0x2000;
        t.code("bclr 20,0,0", "bclr 20,0,0");
        t.word(0x4e800021); // blrl
        t.cpu.nia = C + 8;
        t.run(1);
        assertThat(t.cpu.nia).isEqualTo(0x2000);
        assertThat(t.cpu.lr).isEqualTo(C + 12);
    }

    @Test
    void branchToCountRegister() {
        t.cpu.ctr = 0x3003;
        t.code("bcctr 20,0,0");
        t.run(1);
        assertThat(t.cpu.nia).as("low two bits ignored").isEqualTo(0x3000);
    }

    @Test
    void bcctrThatDecrementsCtrTestsAndDecrementsAsPower9Does() {
        // Linux's count-cache flush: CTR = 0x7fff, BO=2 branches only when CTR was 0 (and CR0[LT] = 0).
        t.cpu.ctr = 0x7fff;
        t.code("bcctr 2,0,0");
        assertThat(t.run(1)).isEqualTo(1);
        assertThat(t.cpu.pendingInterrupt).isNull();
        assertThat(t.cpu.nia).as("not taken").isEqualTo(C + 4);
        assertThat(t.cpu.ctr).isEqualTo(0x7ffe);

        // BO=16 (decrement, branch if CTR != 0, ignore CR): goes to the value CTR had before the decrement.
        t.cpu.ctr = 0x2000;
        t.code("bcctr 16,0,0");
        t.run(1);
        assertThat(t.cpu.nia).isEqualTo(0x2000);
        assertThat(t.cpu.ctr).isEqualTo(0x1fff);
    }

    @Test
    void branchTargetsWrapInThirtyTwoBitMode() {
        t.cpu.setMsr(Msr.ME);
        t.code("b -0x1000");
        t.run(1);
        assertThat(t.cpu.nia).isEqualTo(0xffff_f000L);
    }

    @Test
    void systemCallLevelOneIsAHypercallFromSupervisorState() {
        t.set(3, 0x58).exec("sc 1");
        assertThat(t.hypercalls).containsExactly(0x58L);
        assertThat(t.cpu.pendingInterrupt).isNull();
        t.code("sc");
        t.run(1);
        assertThat(t.cpu.pendingInterrupt).isEqualTo(new GuestInterrupt.SystemCall(0));
    }

    @Test
    void hypercallFromProblemStateIsASystemCall() {
        t.cpu.setMsr(Msr.SF | Msr.PR);
        t.code("sc 1");
        t.run(1);
        assertThat(t.hypercalls).isEmpty();
        assertThat(t.cpu.pendingInterrupt).isEqualTo(new GuestInterrupt.SystemCall(1));
    }

    @Test
    void conditionRegisterLogical() {
        t.cpu.cr = 0b1010_0000_0000_0000_0000_0000_0000_0000;
        t.exec("crand 4,0,2", "cror 5,0,1", "crxor 6,0,2", "crnor 7,1,3", "creqv 8,0,2", "crandc 9,0,1",
                "crorc 10,1,0", "crnand 11,0,2", "mcrf 7,1");
        assertThat(t.cpu.crField(1)).isEqualTo(0b1101);
        assertThat(t.cpu.crField(2)).isEqualTo(0b1100);
        assertThat(t.cpu.crField(7)).isEqualTo(0b1101);
    }
}
