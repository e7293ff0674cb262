package dev.pvm.engine.cpu.fpu;

/**
 * The reciprocal and reciprocal square root estimates (fre[s], frsqrte[s]; Book I 4.6.6.1). The ISA only bounds
 * their error (1/256 relative before v2.06; 1/16384 since) and calls the exact bits implementation-specific. We
 * produce what QEMU does, which meets every bound: the correctly rounded reciprocal, and for the reciprocal square
 * root the rounded reciprocal of the rounded square root. Exceptions are those of the operations involved: ZX for a
 * zero operand, VXSQRT for a negative one, VXSNAN for a signalling NaN.
 */
public final class FloatEstimates {

    private FloatEstimates() {
    }

    public static long reciprocal(long b, BinaryFormat f, FpContext c) {
        return FloatArithmetic.divide(Binary64.ONE, b, f, c);
    }

    public static long reciprocalSquareRoot(long b, BinaryFormat f, FpContext c) {
        long root = FloatArithmetic.squareRoot(b, BinaryFormat.DOUBLE, c);
        if (Binary64.isNaN(root)) {
            return f == BinaryFormat.SINGLE ? Binary64.toSingleNaN(root) : root;
        }
        return FloatArithmetic.divide(Binary64.ONE, root, f, c);
    }
}
