package dev.pvm.engine.cpu.interrupt;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Fscr;
import dev.pvm.engine.cpu.Msr;

/**
 * Delivers an interrupt to a vCPU in supervisor state of a PAPR partition (MSR[HV]=0), as Power ISA v3.0B Book
 * III chapter 7 specifies for interrupts that go to the operating system: saves the return address and MSR
 * (SRR0/SRR1, or LR/CTR for scv), sets DAR/DSISR/FSCR[IC] where the kind says so, sets the new MSR and jumps to
 * the vector.
 *
 * <p>The hypervisor-controlled parts come from the partition's LPCR ({@link CpuState#lpcr}): ILE picks the byte
 * order interrupts run in and AIL relocates vectors (both set through H_SET_MODE, as QEMU's pseries does).
 * Hypervisor interrupts never reach a PAPR guest: what the ISA sends to the hypervisor (emulation assistance)
 * the hypervisor reflects as a program interrupt, which is what the instructions raise directly here.
 */
public final class InterruptDelivery {

    /** LPCR[ILE] (bit 38): interrupts run little-endian. */
    public static final long LPCR_ILE = 1L << 25;
    /** LPCR[AIL] (bits 39:40): alternate interrupt location. */
    public static final int LPCR_AIL_SHIFT = 23;
    public static final long LPCR_AIL = 3L << LPCR_AIL_SHIFT;

    /** SRR1 bits 33:36 and 42:47: interrupt-specific, not copied from the MSR (Book III 7.4). */
    public static final long SRR1_INTERRUPT_BITS = 0x783F_0000L;
    /**
     * POWER9's machine check causes for an access nothing backs, as QEMU's ppc_cpu_do_transaction_failed reports
     * them (the codes of the POWER9 user manual that Linux's mce_power.c decodes): SRR1 bit 42 for a load or
     * store (DSISR bit 57 for a load: a "load/store uncorrectable error"), bits 36, 43, 45 for a store, bits 36,
     * 44, 45 for an instruction fetch.
     */
    static final long SRR1_MC_LOAD_STORE = 1L << (63 - 42);
    static final long SRR1_MC_STORE = 1L << (63 - 36) | 1L << (63 - 43) | 1L << (63 - 45);
    static final long SRR1_MC_FETCH = 1L << (63 - 36) | 1L << (63 - 44) | 1L << (63 - 45);
    static final long DSISR_MC_LOAD = 1L << (63 - 57);
    /** Program interrupt reasons in SRR1 (Book III 7.5.9): bits 43 FP enabled, 44 illegal, 45 privileged, 46 trap. */
    public static final long SRR1_PROGRAM_FP_ENABLED = 1L << 20;
    public static final long SRR1_PROGRAM_ILLEGAL = 1L << 19;
    public static final long SRR1_PROGRAM_PRIVILEGED = 1L << 18;
    public static final long SRR1_PROGRAM_TRAP = 1L << 17;

    /** AIL=3 puts vectors at this offset with relocation on (Book III 7.3). */
    static final long AIL3_OFFSET = 0xc000_0000_0000_4000L;
    /** AIL=2: vectors at 0x18000 + offset. */
    static final long AIL2_OFFSET = 0x1_8000L;
    /** scv vectors (Book III 7.5.19): 0x17000 + 0x20 * LEV, with AIL=3 0xc000000000003000 + 0x20 * LEV. */
    static final long SCV_BASE = 0x1_7000L;
    static final long SCV_AIL3_BASE = 0xc000_0000_0000_3000L;

    private InterruptDelivery() {
    }

    /** The interrupt vector offset of a kind (Book III figure "Effective address of interrupt vector"). */
    public static long vectorOffset(GuestInterrupt interrupt) {
        return switch (interrupt) {
            case GuestInterrupt.SystemReset r -> 0x100;
            case GuestInterrupt.MachineCheck m -> 0x200;
            case GuestInterrupt.DataStorage d -> 0x300;
            case GuestInterrupt.DataSegment d -> 0x380;
            case GuestInterrupt.InstructionStorage i -> 0x400;
            case GuestInterrupt.InstructionSegment i -> 0x480;
            case GuestInterrupt.External e -> 0x500;
            case GuestInterrupt.Alignment a -> 0x600;
            case GuestInterrupt.Program p -> 0x700;
            case GuestInterrupt.FloatingPointUnavailable f -> 0x800;
            case GuestInterrupt.Decrementer d -> 0x900;
            case GuestInterrupt.SystemCall s -> 0xc00;
            case GuestInterrupt.VectorUnavailable v -> 0xf20;
            case GuestInterrupt.VsxUnavailable v -> 0xf40;
            case GuestInterrupt.FacilityUnavailable f -> 0xf60;
            case GuestInterrupt.SystemCallVectored s -> SCV_BASE + 0x20L * s.lev();
        };
    }

    /** SRR1's cause bits for a machine check, and DAR/DSISR for a data access (see SRR1_MC_LOAD_STORE). */
    private static long machineCheckCause(CpuState cpu, GuestInterrupt.MachineCheck m) {
        return switch (m.access()) {
            case "load" -> {
                cpu.dar = m.effectiveAddress();
                cpu.dsisr = DSISR_MC_LOAD;
                yield SRR1_MC_LOAD_STORE;
            }
            case "store" -> {
                // Hardware reports store errors asynchronously, without DAR; QEMU sets it, and so do we.
                cpu.dar = m.effectiveAddress();
                yield SRR1_MC_LOAD_STORE | SRR1_MC_STORE;
            }
            default -> SRR1_MC_FETCH;
        };
    }

    /**
     * Delivers {@code interrupt}: {@code cpu.cia} is the instruction that raised a synchronous interrupt (or the
     * last one completed) and {@code cpu.nia} the next one to run.
     *
     * @return the address the vCPU continues at (the vector)
     * @throws CheckstopException for a machine check while MSR[ME]=0 (Book III 7.5.2: the processor stops)
     */
    public static long deliver(CpuState cpu, GuestInterrupt interrupt) {
        long msr = cpu.msr;
        long saved = msr & ~SRR1_INTERRUPT_BITS;
        long newMsr = (msr & (Msr.HV | Msr.S | Msr.ME)) | Msr.SF | ((cpu.lpcr & LPCR_ILE) != 0 ? Msr.LE : 0);
        long srr0 = cpu.cia;
        long reason = 0;
        boolean relocatable = true;
        switch (interrupt) {
            case GuestInterrupt.SystemReset r -> {
                srr0 = cpu.nia;
                relocatable = false;
            }
            case GuestInterrupt.MachineCheck m -> {
                if ((msr & Msr.ME) == 0) {
                    throw new CheckstopException(interrupt.describe() + " with MSR[ME]=0: checkstop");
                }
                newMsr &= ~Msr.ME;
                relocatable = false;
                reason = machineCheckCause(cpu, m);
            }
            case GuestInterrupt.DataStorage d -> {
                cpu.dar = d.effectiveAddress();
                cpu.dsisr = d.dsisr() & 0xFFFF_FFFFL;
            }
            case GuestInterrupt.DataSegment d -> cpu.dar = d.effectiveAddress();
            case GuestInterrupt.InstructionStorage i -> reason = i.srr1Reason() & SRR1_INTERRUPT_BITS;
            case GuestInterrupt.Alignment a -> cpu.dar = a.effectiveAddress();
            case GuestInterrupt.Program p -> reason = switch (p.reason()) {
                case FLOATING_POINT_ENABLED -> SRR1_PROGRAM_FP_ENABLED;
                case ILLEGAL_INSTRUCTION -> SRR1_PROGRAM_ILLEGAL;
                case PRIVILEGED_INSTRUCTION -> SRR1_PROGRAM_PRIVILEGED;
                case TRAP -> SRR1_PROGRAM_TRAP;
            };
            case GuestInterrupt.FacilityUnavailable f ->
                cpu.fscr = (cpu.fscr & ~Fscr.IC) | ((long) f.cause() << Fscr.IC_SHIFT);
            case GuestInterrupt.External e -> srr0 = cpu.nia;
            case GuestInterrupt.Decrementer d -> srr0 = cpu.nia;
            case GuestInterrupt.SystemCall s -> srr0 = cpu.nia;
            case GuestInterrupt.SystemCallVectored s -> {
                // scv keeps MSR[EE] and MSR[RI] (QEMU powerpc_excp_books) and saves NIA/MSR in LR/CTR.
                newMsr |= msr & (Msr.EE | Msr.RI);
            }
            case GuestInterrupt.InstructionSegment i -> {
            }
            case GuestInterrupt.FloatingPointUnavailable f -> {
            }
            case GuestInterrupt.VectorUnavailable v -> {
            }
            case GuestInterrupt.VsxUnavailable v -> {
            }
        }
        long vector = vectorOffset(interrupt);
        int ail = (int) ((cpu.lpcr & LPCR_AIL) >>> LPCR_AIL_SHIFT);
        // AIL applies only when the interrupted context ran with both relocations on (POWER9; Book III 7.3).
        boolean relocate = relocatable && (ail == 2 || ail == 3) && (msr & (Msr.IR | Msr.DR)) == (Msr.IR | Msr.DR);
        if (relocate) {
            newMsr |= Msr.IR | Msr.DR;
            if (interrupt instanceof GuestInterrupt.SystemCallVectored) {
                if (ail == 3) {
                    vector = vector - SCV_BASE + SCV_AIL3_BASE;
                }
            } else {
                vector |= ail == 3 ? AIL3_OFFSET : AIL2_OFFSET;
            }
        }
        if (interrupt instanceof GuestInterrupt.SystemCallVectored) {
            cpu.lr = cpu.nia;
            cpu.ctr = saved;
        } else {
            cpu.srr0 = srr0;
            cpu.srr1 = saved | reason;
        }
        cpu.setMsr(newMsr);
        cpu.nia = vector;
        return vector;
    }
}
