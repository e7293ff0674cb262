package dev.pvm.engine.cpu.fpu;

import dev.pvm.engine.cpu.Fpscr;

/**
 * What one floating-point operation needs from the FPSCR (rounding mode, the overflow and underflow enables that
 * change the delivered result) and what it reports back: the exception bits it raised and FR/FI, as
 * {@link Fpscr} masks. The caller merges {@link #flags} into the FPSCR.
 */
public final class FpContext {

    /** RN: one of the {@code Fpscr.ROUND_*} modes. */
    public int roundingMode;
    /** OE: an overflow delivers the result scaled by 2^-1536 (2^-192 for single) instead of infinity. */
    public boolean overflowEnabled;
    /** UE: a tiny result is delivered scaled by 2^1536 (2^192) and UX is set even when exact. */
    public boolean underflowEnabled;
    /** Raised exception bits plus FR and FI of the last rounding. */
    public long flags;

    public FpContext() {
    }

    /** A context with the FPSCR's rounding mode and enables, and no flags yet. */
    public static FpContext of(long fpscr) {
        FpContext c = new FpContext();
        c.load(fpscr);
        return c;
    }

    public void load(long fpscr) {
        roundingMode = Fpscr.roundingMode(fpscr);
        overflowEnabled = (fpscr & Fpscr.OE) != 0;
        underflowEnabled = (fpscr & Fpscr.UE) != 0;
        flags = 0;
    }

    /** A context that rounds in {@code mode} with all exceptions disabled (tests, conversions with a fixed mode). */
    public static FpContext rounding(int mode) {
        FpContext c = new FpContext();
        c.roundingMode = mode;
        return c;
    }
}
