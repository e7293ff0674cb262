package dev.pvm.engine.cpu.mmu;

import dev.pvm.engine.cpu.interp.GuestInterruptSignal;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;

/**
 * The reason bits of storage interrupts (Power ISA v3.0B Book III 7.5.3 and 7.5.5; QEMU target/ppc/cpu.h
 * DSISR_* and SRR1_*), and the signals a failed translation throws. An instruction storage interrupt puts the
 * same reasons at the same bit positions of SRR1 that a data storage interrupt puts into DSISR.
 */
public final class StorageFault {

    /** No translation: no matching HPTE, or an invalid radix entry (DSISR bit 33). */
    public static final long NOT_FOUND = 0x4000_0000L;
    /** Fetch from a no-execute or guarded page (SRR1 bit 35). */
    public static final long NO_EXECUTE = 0x1000_0000L;
    /** The page's protection (PP/key or EAA) forbids the access (bit 36). */
    public static final long PROTECTION = 0x0800_0000L;
    /** The access was a store (DSISR bit 38). */
    public static final long STORE = 0x0200_0000L;
    /** The virtual page class key (AMR/IAMR) forbids the access (bit 42). */
    public static final long KEY = 0x0020_0000L;
    /** Radix: an unsupported tree configuration (bit 44). */
    public static final long RADIX_BAD_CONFIG = 0x0008_0000L;
    /** Radix: R or C would have to be set, which this MMU leaves to the OS, as POWER9 and QEMU do (bit 45). */
    public static final long RADIX_REFERENCE_CHANGE = 0x0004_0000L;

    private StorageFault() {
    }

    /** A storage interrupt for a failed {@code kind} access at {@code ea} with reasons {@code bits}. */
    static GuestInterruptSignal storage(AccessKind kind, long ea, long bits, String why) {
        if (kind == AccessKind.FETCH) {
            return new GuestInterruptSignal(new GuestInterrupt.InstructionStorage(ea, bits, why));
        }
        long dsisr = kind == AccessKind.STORE ? bits | STORE : bits;
        return new GuestInterruptSignal(new GuestInterrupt.DataStorage(ea, dsisr, why));
    }

    /** A segment interrupt: no segment translates {@code ea}. */
    static GuestInterruptSignal segment(AccessKind kind, long ea, String why) {
        return new GuestInterruptSignal(kind == AccessKind.FETCH ? new GuestInterrupt.InstructionSegment(ea, why)
                : new GuestInterrupt.DataSegment(ea, why));
    }
}
