package dev.pvm.engine.cpu;

/**
 * The decrementer (Power ISA v3.0B Book III 6.2.1) in large-decrementer mode: 56 bits ({@code ibm,dec-bits}),
 * counting down at the timebase frequency. It is kept as the timebase value at which it reads zero
 * ({@link CpuState#decrementerZero}), so it needs no timer of its own and every vCPU counts with the one shared
 * timebase. A decrementer exception exists while its most significant bit is 1 (POWER9: level, not edge): the
 * operating system clears it by writing a non-negative value.
 */
public final class Decrementer {

    /** Width in bits, as the device tree's {@code ibm,dec-bits} says. */
    public static final int BITS = 56;
    /** The largest value: what a guest writes to mean "no interrupt for a long time". */
    public static final long MAX = (1L << (BITS - 1)) - 1;

    private Decrementer() {
    }

    /** DEC as mfspr reads it at {@code timebase}: sign-extended from 56 bits. */
    public static long read(CpuState cpu, long timebase) {
        return signExtend(cpu.decrementerZero - timebase);
    }

    /** mtspr DEC at {@code timebase}: the low 56 bits, sign-extended, count down from now. */
    public static void write(CpuState cpu, long timebase, long value) {
        cpu.decrementerZero = timebase + signExtend(value);
    }

    /** Whether the decrementer exception exists (DEC negative). */
    public static boolean pending(CpuState cpu, long timebase) {
        return read(cpu, timebase) < 0;
    }

    /** Timebase ticks until the exception exists (0 when it already does). */
    public static long ticksUntilPending(CpuState cpu, long timebase) {
        long dec = read(cpu, timebase);
        return dec < 0 ? 0 : dec + 1;
    }

    private static long signExtend(long value) {
        return value << (64 - BITS) >> (64 - BITS);
    }
}
