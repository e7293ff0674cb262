package dev.pvm.engine.linuxuser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The floating-point and vector part of the 64-bit rt signal frame, checked at the offsets of
 * arch/powerpc/kernel/signal_64.c (setup_sigcontext / restore_sigcontext) and asm/sigcontext.h: fp_regs at
 * ucontext + 168 + 448, v_regs (vmx_reserve at ucontext + 168 + 720, rounded up to 16) holding 32 VRs, VSCR's
 * quadword, VRSAVE at v_regs + 528 and the VSX low doublewords at v_regs + 544.
 */
class SignalFrameTest {

    private static final long STACK = 0x100000;
    private static final long FRAME = 0x108000;
    private final UserAddressSpace memory = new UserAddressSpace(32);

    @AfterEach
    void close() {
        memory.close();
    }

    @Test
    void littleEndianFrameHoldsAndRestoresFpAndVectorState() {
        roundTrip(true);
    }

    @Test
    void bigEndianFrameHoldsAndRestoresFpAndVectorState() {
        roundTrip(false);
    }

    private void roundTrip(boolean le) {
        memory.map(STACK, 2 * UserAddressSpace.PAGE_SIZE, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE);
        ByteOrder o = le ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        CpuState cpu = new CpuState(0);
        cpu.setMsr(ProgramLoader.USER_MSR | (le ? Msr.LE : 0));
        for (int i = 0; i < 64; i++) {
            cpu.vsrHi[i] = 0x1000_0000_0000_0000L * (i % 8) + 0x0101_0101_0000L * i + 0xA1;
            cpu.vsrLo[i] = 0x2000_0000_0000_0000L * (i % 4) + 0x0303_0303_0000L * i + 0xB2;
        }
        cpu.fpscr = 0x0000_0001_8200_40F8L;
        cpu.vscr = 0x0001_0001;
        cpu.vrsave = 0xCAFE_F00D;
        cpu.gpr[1] = STACK + 0x7000;
        cpu.nia = 0x10001234;
        long[] fpr = new long[32];
        long[] vrHi = new long[32];
        long[] vrLo = new long[32];
        long[] vsxLo = new long[32];
        for (int i = 0; i < 32; i++) {
            fpr[i] = cpu.fprBits(i);
            vrHi[i] = cpu.vsrHi[32 + i];
            vrLo[i] = cpu.vsrLo[32 + i];
            vsxLo[i] = cpu.vsrLo[i];
        }

        SignalFrame.build(memory, cpu, FRAME, 10, 0x10002000, true, false, 0xc00, new byte[128], 0,
                new long[] {0, 2, 0}, 0, 0x7000);

        long mc = FRAME + SignalFrame.UC_MCONTEXT;
        long msr = memory.load64(mc + 64 + 8 * 33, o);
        assertThat(msr & (1L << 25)).as("MSR_VEC").isNotZero();
        assertThat(msr & (1L << 23)).as("MSR_VSX").isNotZero();
        long fp = mc + 448;
        for (int i = 0; i < 32; i++) {
            assertThat(memory.load64(fp + 8L * i, o)).as("f%d", i).isEqualTo(fpr[i]);
        }
        assertThat(memory.load64(fp + 8 * 32, o)).as("fpscr").isEqualTo(0x0000_0001_8200_40F8L);
        long vRegs = memory.load64(mc + 712, o);
        assertThat(vRegs).isEqualTo((mc + 720 + 15) & ~15L);
        assertThat(vRegs % 16).isZero();
        assertThat(vRegs + 34 * 16 + 32 * 8).isLessThanOrEqualTo(FRAME + 1696);
        for (int i = 0; i < 32; i++) {
            long q = vRegs + 16L * i;
            // stvx order: most significant byte first on big-endian, last on little-endian.
            assertThat(memory.load64(q, ByteOrder.BIG_ENDIAN)).isEqualTo(le ? Long.reverseBytes(vrLo[i]) : vrHi[i]);
            assertThat(memory.load64(q + 8, ByteOrder.BIG_ENDIAN))
                    .isEqualTo(le ? Long.reverseBytes(vrHi[i]) : vrLo[i]);
        }
        // VSCR: the low-order word of quadword 32: bytes 524..527 big-endian, 512..515 little-endian.
        assertThat(memory.load32(vRegs + (le ? 512 : 524), o)).as("vscr").isEqualTo(0x0001_0001);
        assertThat(memory.load32(vRegs + (le ? 524 : 512), o)).isZero();
        assertThat(memory.load32(vRegs + 528, o)).as("vrsave").isEqualTo(0xCAFE_F00D);
        for (int i = 0; i < 32; i++) {
            assertThat(memory.load64(vRegs + 544 + 8L * i, o)).as("vsr%d low", i).isEqualTo(vsxLo[i]);
        }

        // The handler changes the saved state, then clobbers the live registers.
        for (int i = 0; i < 32; i++) {
            memory.store64(fp + 8L * i, 0x4000_0000_0000_0000L + i, o);
            memory.store64(vRegs + 16L * i + (le ? 8 : 0), 0x5500_0000_0000_0000L + i, o);
            memory.store64(vRegs + 16L * i + (le ? 0 : 8), 0x6600_0000_0000_0000L + i, o);
            memory.store64(vRegs + 544 + 8L * i, 0x7700_0000_0000_0000L + i, o);
        }
        memory.store64(fp + 8 * 32, 0x22, o);
        memory.store32(vRegs + (le ? 512 : 524), 0x1, o);
        memory.store32(vRegs + 528, 0x1234_5678, o);
        for (int i = 0; i < 64; i++) {
            cpu.vsrHi[i] = -1;
            cpu.vsrLo[i] = -1;
        }
        cpu.fpscr = 0;
        cpu.vscr = 0;
        cpu.vrsave = 0;
        // As the handler returns to the trampoline, r1 is back at the frame's dummy caller frame.
        cpu.gpr[1] = FRAME - SignalFrame.SIGNAL_FRAMESIZE;

        SignalFrame.restore(memory, cpu);

        assertThat(cpu.nia).isEqualTo(0x10001234);
        assertThat(cpu.littleEndian).isEqualTo(le);
        for (int i = 0; i < 32; i++) {
            assertThat(cpu.fprBits(i)).as("f%d", i).isEqualTo(0x4000_0000_0000_0000L + i);
            assertThat(cpu.vsrLo[i]).as("vsr%d low", i).isEqualTo(0x7700_0000_0000_0000L + i);
            assertThat(cpu.vsrHi[32 + i]).as("vr%d high", i).isEqualTo(0x5500_0000_0000_0000L + i);
            assertThat(cpu.vsrLo[32 + i]).as("vr%d low", i).isEqualTo(0x6600_0000_0000_0000L + i);
        }
        assertThat(cpu.fpscr).isEqualTo(0x22);
        assertThat(cpu.vscr).isEqualTo(1);
        assertThat(cpu.vrsave).isEqualTo(0x1234_5678);
    }

    @Test
    void clearMsrVecAndVsxInTheFrameZeroTheVectorState() {
        memory.map(STACK, 2 * UserAddressSpace.PAGE_SIZE, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE);
        ByteOrder o = ByteOrder.LITTLE_ENDIAN;
        CpuState cpu = new CpuState(0);
        cpu.setMsr(ProgramLoader.USER_MSR | Msr.LE);
        java.util.Arrays.fill(cpu.vsrHi, 7);
        java.util.Arrays.fill(cpu.vsrLo, 9);
        cpu.vscr = 1;
        cpu.vrsave = 5;
        cpu.gpr[1] = STACK + 0x7000;
        SignalFrame.build(memory, cpu, FRAME, 10, 0x10002000, true, false, 0xc00, new byte[128], 0,
                new long[] {0, 2, 0}, 0, 0x7000);
        long msrSlot = FRAME + SignalFrame.SC_GP_REGS + 8 * 33;
        memory.store64(msrSlot, memory.load64(msrSlot, o) & ~((1L << 25) | (1L << 23)), o);
        cpu.gpr[1] = FRAME - SignalFrame.SIGNAL_FRAMESIZE;
        SignalFrame.restore(memory, cpu);
        for (int i = 0; i < 32; i++) {
            assertThat(cpu.fprBits(i)).isEqualTo(7);
            assertThat(cpu.vsrLo[i]).isZero();
            assertThat(cpu.vsrHi[32 + i]).isZero();
            assertThat(cpu.vsrLo[32 + i]).isZero();
        }
        assertThat(cpu.vscr).isZero();
        assertThat(cpu.vrsave).isEqualTo(5);
        // The live MSR keeps the facilities on.
        assertThat(cpu.msr & ProgramLoader.USER_MSR).isEqualTo(ProgramLoader.USER_MSR);
    }
}
