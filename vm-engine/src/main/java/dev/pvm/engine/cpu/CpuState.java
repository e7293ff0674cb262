package dev.pvm.engine.cpu;

import dev.pvm.engine.cpu.interrupt.GuestInterrupt;
import dev.pvm.engine.cpu.mmu.VcpuMmu;

/**
 * The architected state of one vCPU (Power ISA v3.0B): GPRs, CR, XER, LR, CTR, MSR, the instruction addresses
 * and the supervisor SPRs a PAPR guest uses.
 *
 * <p>Registers are public fields: the interpreter's semantics and (later) generated translator code read and
 * write them on every instruction, and accessor calls would only add noise there. The fields belonging to the
 * MSR are kept consistent by {@link #setMsr}; write {@link #msr} only through it.
 *
 * <p>One thread (the vCPU's) owns the object while the guest runs.
 */
public final class CpuState {

    /** Bits of XER (Book I 3.2.2), as Java masks of the 64-bit register. */
    public static final long XER_SO = 1L << 31;
    public static final long XER_OV = 1L << 30;
    public static final long XER_CA = 1L << 29;
    public static final long XER_OV32 = 1L << 19;
    public static final long XER_CA32 = 1L << 18;
    /** Bits 57:63, the byte count of load/store string indexed. */
    public static final long XER_BYTE_COUNT = 0x7f;

    /** PPR[PRI] (bits 11:13) = 0b100, medium priority. */
    public static final long PPR_MEDIUM = 4L << 50;

    /** Real addressing ignores effective address bits 0:3 (QEMU ppc_hash64/radix64 real-mode paths). */
    public static final long REAL_MODE_ADDRESS_MASK = 0x0FFF_FFFF_FFFF_FFFFL;

    /** The vCPU index; also PIR and the device tree's {@code reg} / interrupt server number. */
    public final int index;

    /** General-purpose registers r0..r31. */
    public final long[] gpr = new long[32];
    /** Condition register; CR field 0 is the most significant nibble. */
    public int cr;
    /** XER summary overflow, overflow, carry and their 32-bit forms, each 0 or 1. */
    public int so;
    public int ov;
    public int ca;
    public int ov32;
    public int ca32;
    /** XER byte count (bits 57:63). */
    public int xerByteCount;
    public long lr;
    public long ctr;
    /** Machine state register; write through {@link #setMsr}. */
    public long msr;
    /** Address of the instruction being executed (the ISA's CIA). */
    public long cia;
    /** Address of the next instruction (NIA): set to CIA+4 before each instruction, branches replace it. */
    public long nia;
    public long srr0;
    public long srr1;
    public long dar;
    public long dsisr;
    public final long[] sprg = new long[4];
    // Floating-point registers f0..f31 are doubleword 0 of VSRs 0..31: see fprBits/setFprBits.
    /** The FPSCR (Book I 4.2.2), ISA bits 0:63 as a Java long (ISA bit 63 = Java bit 0); see {@code Fpscr}. */
    public long fpscr;
    public long dscr;
    public int vrsave;
    /** Facility status and control register (Book III 4.4.x): enables and, in bits 0:7, the interrupt cause. */
    public long fscr;
    /** Come-from address register: written only by mtspr here (no branch tracking). */
    public long cfar;
    /** Target address register (Book I 2.x, bctar's target). */
    public long tar;
    /** Problem state priority boost register (32 bits). */
    public int pspb;
    /** CTRL (Book III 9): RUN latch in bit 63, mirrored into the thread-state bit 55 as QEMU does. */
    public long ctrl;
    /**
     * The timebase value at which the decrementer reads zero: DEC = decrementerZero - TB, so it counts down with
     * the shared timebase without a per-vCPU timer (Book III 6.2, large decrementer).
     */
    public long decrementerZero = Decrementer.MAX;
    /**
     * LPCR as the hypervisor set it for this partition (ILE and AIL via H_SET_MODE); the guest cannot access it
     * (Book III 2.2), interrupt delivery reads it.
     */
    public long lpcr;

    /**
     * The 64 vector-scalar registers (Book I 7.2.1): VSR i is the quadword {@code vsrHi[i]:vsrLo[i]}
     * (doubleword 0, the most significant, in {@code vsrHi}). FPR i is doubleword 0 of VSR i (read it with
     * {@link #fprBits}); VR i is VSR 32+i.
     */
    public final long[] vsrHi = new long[64];
    public final long[] vsrLo = new long[64];
    /** Vector status and control register (Book I 6.3.2): NJ (bit 15 of the word) and SAT (bit 31). */
    public int vscr;

    /** Effective addresses are masked with this: all ones in 64-bit mode, the low 32 bits when MSR[SF]=0. */
    public long eaMask = -1L;
    /** MSR[LE] as a boolean, for the byte order of every access. */
    public boolean littleEndian;

    /** The reservation of the last lwarx/ldarx (real address), or -1 when none (Book II 4.6). */
    public long reservationAddress = -1;
    /** Size in bytes of the reserved access. */
    public int reservationSize;
    /**
     * The value the load-and-reserve read (for lqarx its first doubleword): store conditional succeeds only while
     * storage still holds it, as QEMU checks, so that a store to the granule by anyone loses the reservation.
     */
    public long reservationValue;
    /** lqarx's second doubleword. */
    public long reservationValue2;

    /** Program Priority Register (Book II 3.1); reset to medium priority (PRI = 0b100). */
    public long ppr = PPR_MEDIUM;

    /**
     * The vCPU's MMU: SLB, softmmu TLB, PIDR and the storage-protection registers. Relocated accesses fault until a
     * machine attaches a partition MMU. Not final so that lockstep's shadow states share the vCPU's.
     */
    public VcpuMmu mmu = new VcpuMmu();

    /** Instructions retired since reset. */
    public long instructions;

    /** Set by whatever must stop the run loop after the current instruction (interrupt, power-off, reset). */
    public boolean stopRequested;
    /** Work other vCPUs' threads hand this one (TLB shootdowns, code invalidation, kicks); executors poll it. */
    public final VcpuRequests requests = new VcpuRequests();
    /** The interrupt the current instruction raised, or null. */
    public GuestInterrupt pendingInterrupt;

    public CpuState(int index) {
        this.index = index;
        setMsr(Msr.KERNEL_ENTRY);
    }

    /** Clears all registers to their reset values, with the given MSR. */
    public void reset(long newMsr) {
        java.util.Arrays.fill(gpr, 0);
        java.util.Arrays.fill(sprg, 0);
        fpscr = 0;
        cr = 0;
        so = ov = ca = ov32 = ca32 = 0;
        xerByteCount = 0;
        lr = ctr = 0;
        cia = nia = 0;
        srr0 = srr1 = dar = dsisr = dscr = 0;
        vrsave = 0;
        fscr = cfar = tar = ctrl = lpcr = 0;
        pspb = 0;
        decrementerZero = Decrementer.MAX;
        java.util.Arrays.fill(vsrHi, 0);
        java.util.Arrays.fill(vsrLo, 0);
        vscr = 0;
        reservationAddress = -1;
        reservationSize = 0;
        reservationValue = reservationValue2 = 0;
        ppr = PPR_MEDIUM;
        instructions = 0;
        stopRequested = false;
        pendingInterrupt = null;
        mmu.reset();
        setMsr(newMsr);
    }

    /** Sets the MSR and the state derived from it (address mask, byte order). */
    public void setMsr(long value) {
        msr = value;
        eaMask = (value & Msr.SF) != 0 ? -1L : 0xFFFF_FFFFL;
        littleEndian = (value & Msr.LE) != 0;
    }

    public boolean sixtyFourBit() {
        return (msr & Msr.SF) != 0;
    }

    public boolean problemState() {
        return (msr & Msr.PR) != 0;
    }

    /** XER as the 64-bit register reads. */
    public long xer() {
        return (so != 0 ? XER_SO : 0) | (ov != 0 ? XER_OV : 0) | (ca != 0 ? XER_CA : 0)
                | (ov32 != 0 ? XER_OV32 : 0) | (ca32 != 0 ? XER_CA32 : 0) | (xerByteCount & XER_BYTE_COUNT);
    }

    /** Writes XER; bits the ISA reserves read back as 0. */
    public void setXer(long value) {
        so = (value & XER_SO) != 0 ? 1 : 0;
        ov = (value & XER_OV) != 0 ? 1 : 0;
        ca = (value & XER_CA) != 0 ? 1 : 0;
        ov32 = (value & XER_OV32) != 0 ? 1 : 0;
        ca32 = (value & XER_CA32) != 0 ? 1 : 0;
        xerByteCount = (int) (value & XER_BYTE_COUNT);
    }

    /** Condition register bit {@code bit}, numbered as the ISA does (0 = CR0[LT]). */
    public int crBit(int bit) {
        return (cr >>> (31 - bit)) & 1;
    }

    public void setCrBit(int bit, int value) {
        int mask = 1 << (31 - bit);
        cr = value != 0 ? cr | mask : cr & ~mask;
    }

    /** CR field {@code field} (0..7) as a 4-bit value LT GT EQ SO. */
    public int crField(int field) {
        return (cr >>> (28 - 4 * field)) & 0xf;
    }

    public void setCrField(int field, int value) {
        int shift = 28 - 4 * field;
        cr = (cr & ~(0xf << shift)) | ((value & 0xf) << shift);
    }

    /**
     * Sets CR field {@code field} from comparing {@code a} with {@code b} (LT, GT, EQ and XER[SO]), as the
     * compare instructions and record forms do (Book I 3.3.10).
     */
    public void compareSigned(int field, long a, long b) {
        setCrField(field, (a < b ? 8 : a > b ? 4 : 2) | so);
    }

    public void compareUnsigned(int field, long a, long b) {
        int c = Long.compareUnsigned(a, b);
        setCrField(field, (c < 0 ? 8 : c > 0 ? 4 : 2) | so);
    }

    /**
     * The record form's CR0 update (Rc=1): the result compared with 0 as a signed number; in 32-bit mode only
     * its low 32 bits (Book I 3.3.8: "the first three bits of CR field 0 are set by signed comparison of the
     * result to zero", with the 32-bit mode rule of 2.7).
     */
    public void recordCr0(long result) {
        long v = (msr & Msr.SF) != 0 ? result : (int) result;
        setCrField(0, (v < 0 ? 8 : v > 0 ? 4 : 2) | so);
    }

    /** OV and OV32 from an overflow check; SO accumulates (Book I 3.2.2). */
    public void setOverflow(boolean overflow64, boolean overflow32) {
        boolean overflow = (msr & Msr.SF) != 0 ? overflow64 : overflow32;
        ov = overflow ? 1 : 0;
        ov32 = overflow32 ? 1 : 0;
        if (overflow) {
            so = 1;
        }
    }

    /** CA and CA32; in 32-bit mode CA is the carry out of bit 32 (Book I 3.3.9). */
    public void setCarry(boolean carry64, boolean carry32) {
        ca = ((msr & Msr.SF) != 0 ? carry64 : carry32) ? 1 : 0;
        ca32 = carry32 ? 1 : 0;
    }

    /**
     * FPR {@code n} as raw bits: doubleword 0 of VSR n (Book I 7.2.1.1). Scalar VSX and floating-point
     * instructions read and write FPRs only through this pair, so the FPR and VSR files are one storage.
     */
    public long fprBits(int n) {
        return vsrHi[n];
    }

    /** Writes FPR {@code n}; doubleword 1 of VSR n becomes undefined, which we leave unchanged. */
    public void setFprBits(int n, long bits) {
        vsrHi[n] = bits;
    }

    /** Stops the run loop after this instruction with {@code interrupt} pending. */
    public void raise(GuestInterrupt interrupt) {
        pendingInterrupt = interrupt;
        stopRequested = true;
    }

    /** An effective address in the current mode (32-bit mode drops the high word). */
    public long ea(long address) {
        return address & eaMask;
    }

    /** One-line register summary for failure reports. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("pc=0x%x msr=0x%x (%s) lr=0x%x ctr=0x%x cr=0x%08x xer=0x%x%n", cia, msr,
                Msr.describe(msr), lr, ctr, cr, xer()));
        b.append(String.format("srr0=0x%x srr1=0x%x dar=0x%x dsisr=0x%x%n", srr0, srr1, dar, dsisr));
        for (int i = 0; i < 32; i++) {
            b.append(String.format("r%-2d=%016x%s", i, gpr[i], i % 4 == 3 ? System.lineSeparator() : " "));
        }
        return b.toString();
    }
}
