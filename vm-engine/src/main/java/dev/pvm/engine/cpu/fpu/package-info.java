/**
 * The binary floating-point arithmetic of the Power ISA v3.0B floating-point facility (Book I chapter 4), on raw
 * binary64 bit patterns, independent of the CPU state: the interpreter's {@code Float*Ops} and {@code FpscrOps}
 * (and later the translator's helpers) call it with an {@link dev.pvm.engine.cpu.fpu.FpContext} loaded from the
 * FPSCR and merge the flags it reports back with the ISA's completion rules.
 *
 * <p>Every result is rounded once from the exact value, in any of the four rounding modes:
 * <ul>
 * <li>{@link dev.pvm.engine.cpu.fpu.ExactRounding} rounds an exact significand (a {@code BigInteger} times a power of
 *     two, plus a sticky bit for quotients and roots) to double or single precision, with tininess detected before
 *     rounding, denormalisation, and the OE/UE scaled results;</li>
 * <li>{@link dev.pvm.engine.cpu.fpu.FloatArithmetic} has fast paths for double add, subtract, multiply, divide and
 *     square root away from the overflow and denormal ranges: Java's round-to-nearest result plus its exactly
 *     computed error (TwoSum, or an FMA residual) decide every mode and the XX/FI/FR flags; elsewhere, and for the
 *     fused multiply-add family, the exact path runs;</li>
 * <li>single-precision loads and stores convert bit by bit ({@link dev.pvm.engine.cpu.fpu.FloatConversions}).</li>
 * </ul>
 *
 * <p>The tests check the rounding against BigDecimal arithmetic, and every instruction against qemu-ppc64le
 * ({@code FloatOracleTest}, whose Javadoc lists where QEMU 7.2 departs from the ISA and how the comparison masks it).
 */
package dev.pvm.engine.cpu.fpu;
