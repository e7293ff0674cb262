package dev.pvm.engine.linuxuser;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import java.nio.ByteOrder;

/**
 * The 64-bit rt signal frame, laid out as arch/powerpc/kernel/signal_64.c builds it (handle_rt_signal64,
 * setup_sigcontext) and reads it back (sys_rt_sigreturn, restore_sigcontext):
 *
 * <pre>
 * struct rt_sigframe {                       offset
 *     struct ucontext uc;                        0   (1696 bytes)
 *     unsigned long _unused[2];               1696
 *     unsigned int tramp[7];                  1712   li r0,__NR_rt_sigreturn; sc
 *     struct siginfo *pinfo;                  1744
 *     void *puc;                              1752
 *     struct siginfo info;                    1760   (128 bytes)
 *     char abigap[512];                       1888   (USER_REDZONE_SIZE)
 * };                                          2400
 * struct ucontext {                               (arch/powerpc/include/uapi/asm/ucontext.h, 64-bit)
 *     unsigned long uc_flags;                    0
 *     struct ucontext *uc_link;                  8
 *     stack_t uc_stack;                         16   ss_sp, ss_flags (int), ss_size
 *     sigset_t uc_sigmask;                      40   then 15 unused sigsets
 *     struct sigcontext uc_mcontext;           168
 * };
 * struct sigcontext {                              (asm/sigcontext.h)
 *     unsigned long _unused[4];                  0
 *     int signal; int _pad0;                    32
 *     unsigned long handler;                    40
 *     unsigned long oldmask;                    48
 *     struct pt_regs *regs;                     56   = &gp_regs
 *     elf_gregset_t gp_regs;                    64   48 doublewords, pt_regs order
 *     elf_fpregset_t fp_regs;                  448   f0..f31, fpscr
 *     vrregset_t *v_regs;                      712   16-byte aligned into vmx_reserve
 *     long vmx_reserve[101];                   720
 * };
 * </pre>
 *
 * The layout is the one of a kernel without CONFIG_PPC_TRANSACTIONAL_MEM (no second ucontext); programs reach
 * the parts they use through pinfo/puc and the handler's arguments, never through fixed offsets.
 *
 * <p>Floating-point and vector state, as setup_sigcontext / restore_sigcontext (signal_64.c, without
 * transactional memory) save and restore it for a POWER9 task, which always has Altivec and VSX:
 *
 * <pre>
 * fp_regs (elf_fpregset_t, ELF_NFPREG 33, asm/elf.h):  f0..f31 (doubleword 0 of VSR 0..31), then FPSCR
 * v_regs -> (elf_vrregset_t, ELF_NVRREG 34)          offset from v_regs
 *     vector128 vr[32];                                   0   VR i = VSR 32+i, 16 bytes each
 *     vector128 vscr;                                   512   VSCR in the low-order word of the quadword
 *     u32 vrsave; (rest of the quadword unused)          528   (v_regs[33])
 * vsx (ELF_NVSRHALFREG 32 doublewords)                  544   doubleword 1 of VSR 0..31
 * </pre>
 *
 * Each quadword is stored as stvx stores it in the guest's byte order: the most significant byte first on a
 * big-endian task, last on a little-endian one. So VSCR, the quadword's low-order word, is the last word
 * (offset 524) of a big-endian frame and the first (offset 512) of a little-endian one, as glibc's vscr_t
 * (sysdeps/unix/sysv/linux/powerpc/sys/ucontext.h) lays it out. v_regs is vmx_reserve rounded up to 16 bytes;
 * the 800 bytes from there end exactly at the end of the ucontext. The saved MSR has MSR_VEC and MSR_VSX set
 * (the state is there); rt_sigreturn reloads the VRs and VSCR only when the frame's MSR_VEC is set (zeros
 * otherwise), the VSX low halves only when MSR_VSX is set (zeros otherwise), VRSAVE and the FPRs/FPSCR always.
 * The live MSR keeps FP/VEC/VSX on: the kernel clears them only to reload lazily.
 */
final class SignalFrame {

    static final int FRAME_SIZE = 2400;
    /** __SIGNAL_FRAMESIZE: the dummy caller frame the kernel leaves below the rt_sigframe. */
    static final int SIGNAL_FRAMESIZE = 128;
    static final int UC_STACK = 16;
    static final int UC_SIGMASK = 40;
    static final int UC_MCONTEXT = 168;
    static final int SC_SIGNAL = UC_MCONTEXT + 32;
    static final int SC_HANDLER = UC_MCONTEXT + 40;
    static final int SC_OLDMASK = UC_MCONTEXT + 48;
    static final int SC_REGS = UC_MCONTEXT + 56;
    static final int SC_GP_REGS = UC_MCONTEXT + 64;
    static final int SC_FP_REGS = UC_MCONTEXT + 448;
    static final int SC_V_REGS = UC_MCONTEXT + 712;
    static final int SC_VMX_RESERVE = UC_MCONTEXT + 720;
    /** ELF_NFPREG, ELF_NVRREG, ELF_NVSRHALFREG (arch/powerpc/include/uapi/asm/elf.h). */
    static final int ELF_NFPREG = 33;
    static final int ELF_NVRREG = 34;
    static final int ELF_NVSRHALFREG = 32;
    /** Offsets from v_regs: VSCR's quadword, VRSAVE (v_regs[33]), the VSX low doublewords (v_regs + 34). */
    static final int VR_VSCR = 32 * 16;
    static final int VR_VRSAVE = 33 * 16;
    static final int VR_VSX = ELF_NVRREG * 16;
    /** MSR_VEC (bit 38) and MSR_VSX (bit 40), arch/powerpc/include/asm/reg.h. */
    static final long MSR_VEC = ProgramLoader.MSR_VEC;
    static final long MSR_VSX = ProgramLoader.MSR_VSX;
    static final int TRAMP = 1712;
    static final int PINFO = 1744;
    static final int PUC = 1752;
    static final int INFO = 1760;
    /** {@code li r0,0} and {@code sc}: the trampoline's two instructions. */
    static final int LI_R0 = 0x38000000;
    static final int SC = 0x44000002;

    // pt_regs indices (arch/powerpc/include/uapi/asm/ptrace.h).
    static final int PT_NIP = 32;
    static final int PT_MSR = 33;
    static final int PT_ORIG_R3 = 34;
    static final int PT_CTR = 35;
    static final int PT_LNK = 36;
    static final int PT_XER = 37;
    static final int PT_CCR = 38;
    static final int PT_SOFTE = 39;
    static final int PT_TRAP = 40;
    static final int PT_DAR = 41;
    static final int PT_DSISR = 42;
    static final int PT_RESULT = 43;

    private SignalFrame() {
    }

    /**
     * Writes a frame at {@code frame} describing the interrupted context {@code cpu} (whose NIA is where the
     * program resumes), and points the registers at the handler.
     *
     * @param trap    the interrupt vector that led here (0xc00 system call, 0x300 storage, 0x700 program)
     * @param info    the 128-byte siginfo, already in the guest's byte order
     * @param oldMask the signal mask to restore on sigreturn
     * @param altStack the uc_stack to record (ss_sp, ss_flags, ss_size)
     * @param trampoline where the handler returns to (LR): the vDSO-like sigreturn page
     */
    static void build(UserAddressSpace m, CpuState cpu, long frame, int sig, long handler, boolean siginfo,
            boolean elfV1, int trap, byte[] info, long oldMask, long[] altStack, long dar, long trampoline) {
        ByteOrder o = cpu.littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        m.fill(frame, FRAME_SIZE, (byte) 0);
        m.store64(frame + UC_STACK, altStack[0], o);
        m.store32(frame + UC_STACK + 8, (int) altStack[1], o);
        m.store64(frame + UC_STACK + 16, altStack[2], o);
        m.store64(frame + UC_SIGMASK, oldMask, o);
        m.store32(frame + SC_SIGNAL, sig, o);
        m.store64(frame + SC_HANDLER, handler, o);
        m.store64(frame + SC_OLDMASK, oldMask, o);
        m.store64(frame + SC_REGS, frame + SC_GP_REGS, o);
        long gp = frame + SC_GP_REGS;
        for (int i = 0; i < 32; i++) {
            m.store64(gp + 8L * i, cpu.gpr[i], o);
        }
        m.store64(gp + 8L * PT_NIP, cpu.nia, o);
        m.store64(gp + 8L * PT_MSR, cpu.msr | MSR_VEC | MSR_VSX, o);
        m.store64(gp + 8L * PT_ORIG_R3, cpu.gpr[3], o);
        m.store64(gp + 8L * PT_CTR, cpu.ctr, o);
        m.store64(gp + 8L * PT_LNK, cpu.lr, o);
        m.store64(gp + 8L * PT_XER, cpu.xer(), o);
        m.store64(gp + 8L * PT_CCR, cpu.cr & 0xFFFF_FFFFL, o);
        m.store64(gp + 8L * PT_SOFTE, 1, o);
        m.store64(gp + 8L * PT_TRAP, trap, o);
        m.store64(gp + 8L * PT_DAR, dar, o);
        long vRegs = (frame + SC_VMX_RESERVE + 15) & ~15L;
        m.store64(frame + SC_V_REGS, vRegs, o);
        saveFpVector(m, cpu, frame + SC_FP_REGS, vRegs, o);
        // The frame's own copy of the trampoline (setup_trampoline), written as the kernel does although, as
        // with a vDSO, LR points at the executable page instead: the stack is not executable.
        m.store32(frame + TRAMP, LI_R0 | LinuxSyscalls.NR_RT_SIGRETURN, o);
        m.store32(frame + TRAMP + 4, SC, o);
        m.store64(frame + PINFO, frame + INFO, o);
        m.store64(frame + PUC, frame, o);
        m.write(frame + INFO, info);

        long newSp = frame - SIGNAL_FRAMESIZE;
        m.store64(newSp, cpu.gpr[1], o);
        cpu.lr = trampoline;
        if (elfV1) {
            // The handler is a pointer to its function descriptor: entry, TOC.
            cpu.nia = m.load64(handler, o);
            cpu.gpr[2] = m.load64(handler + 8, o);
        } else {
            cpu.ctr = handler;
            cpu.nia = handler;
            cpu.gpr[12] = handler;
        }
        cpu.gpr[1] = newSp;
        cpu.gpr[3] = sig;
        if (siginfo) {
            cpu.gpr[4] = frame + INFO;
            cpu.gpr[5] = frame;
            cpu.gpr[6] = frame;
        } else {
            cpu.gpr[4] = frame + UC_MCONTEXT;
        }
    }

    /**
     * rt_sigreturn: restores the registers from the ucontext at {@code r1 + __SIGNAL_FRAMESIZE}. MSR takes
     * only its LE bit from the frame, as restore_sigcontext does.
     *
     * @return the signal mask to restore
     */
    static long restore(UserAddressSpace m, CpuState cpu) {
        ByteOrder o = cpu.littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        long uc = cpu.gpr[1] + SIGNAL_FRAMESIZE;
        long mask = m.load64(uc + UC_SIGMASK, o);
        long gp = uc + SC_GP_REGS;
        long[] regs = new long[PT_RESULT + 1];
        for (int i = 0; i < regs.length; i++) {
            regs[i] = m.load64(gp + 8L * i, o);
        }
        System.arraycopy(regs, 0, cpu.gpr, 0, 32);
        cpu.nia = regs[PT_NIP];
        cpu.setMsr((cpu.msr & ~Msr.LE) | (regs[PT_MSR] & Msr.LE));
        cpu.ctr = regs[PT_CTR];
        cpu.lr = regs[PT_LNK];
        cpu.setXer(regs[PT_XER]);
        cpu.cr = (int) regs[PT_CCR];
        restoreFpVector(m, cpu, uc + SC_FP_REGS, m.load64(uc + SC_V_REGS, o), regs[PT_MSR], o);
        return mask;
    }

    /** copy_fpr_to_user, the 33 vector quadwords, VRSAVE and copy_vsx_to_user. */
    private static void saveFpVector(UserAddressSpace m, CpuState cpu, long fpRegs, long vRegs, ByteOrder o) {
        for (int i = 0; i < 32; i++) {
            m.store64(fpRegs + 8L * i, cpu.fprBits(i), o);
        }
        m.store64(fpRegs + 8L * 32, cpu.fpscr, o);
        for (int i = 0; i < 32; i++) {
            storeQuad(m, vRegs + 16L * i, cpu.vsrHi[32 + i], cpu.vsrLo[32 + i], o);
        }
        storeQuad(m, vRegs + VR_VSCR, 0, cpu.vscr & 0xFFFF_FFFFL, o);
        m.store32(vRegs + VR_VRSAVE, cpu.vrsave, o);
        for (int i = 0; i < ELF_NVSRHALFREG; i++) {
            m.store64(vRegs + VR_VSX + 8L * i, cpu.vsrLo[i], o);
        }
    }

    /** restore_sigcontext's Altivec, floating-point and VSX part. */
    private static void restoreFpVector(UserAddressSpace m, CpuState cpu, long fpRegs, long vRegs, long msr,
            ByteOrder o) {
        if (vRegs != 0 && (msr & MSR_VEC) != 0) {
            for (int i = 0; i < 32; i++) {
                cpu.vsrHi[32 + i] = m.load64(vRegs + 16L * i + (o == ByteOrder.BIG_ENDIAN ? 0 : 8), o);
                cpu.vsrLo[32 + i] = m.load64(vRegs + 16L * i + (o == ByteOrder.BIG_ENDIAN ? 8 : 0), o);
            }
            cpu.vscr = (int) m.load64(vRegs + VR_VSCR + (o == ByteOrder.BIG_ENDIAN ? 8 : 0), o);
        } else {
            for (int i = 0; i < 32; i++) {
                cpu.vsrHi[32 + i] = 0;
                cpu.vsrLo[32 + i] = 0;
            }
            cpu.vscr = 0;
        }
        cpu.vrsave = vRegs != 0 ? m.load32(vRegs + VR_VRSAVE, o) : 0;
        for (int i = 0; i < 32; i++) {
            cpu.setFprBits(i, m.load64(fpRegs + 8L * i, o));
        }
        cpu.fpscr = m.load64(fpRegs + 8L * 32, o);
        for (int i = 0; i < ELF_NVSRHALFREG; i++) {
            cpu.vsrLo[i] = vRegs != 0 && (msr & MSR_VSX) != 0 ? m.load64(vRegs + VR_VSX + 8L * i, o) : 0;
        }
    }

    /** A quadword as stvx stores it: the high doubleword first in big-endian order, second in little-endian. */
    private static void storeQuad(UserAddressSpace m, long a, long hi, long lo, ByteOrder o) {
        boolean be = o == ByteOrder.BIG_ENDIAN;
        m.store64(a + (be ? 0 : 8), hi, o);
        m.store64(a + (be ? 8 : 0), lo, o);
    }
}
