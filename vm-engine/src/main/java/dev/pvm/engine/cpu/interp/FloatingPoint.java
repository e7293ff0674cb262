package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Fpscr;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.fpu.FpContext;
import dev.pvm.engine.cpu.interrupt.GuestInterrupt;

/**
 * What every floating-point instruction shares (the MSR[FP] check is the table's {@code facility fp}, see
 * {@link FacilityCheck}): the completion rules of
 * Book I 4.4 that turn an operation's result and exception flags into FPR, FPSCR and CR1 updates, with the
 * enabled-exception interrupt.
 */
final class FloatingPoint {

    static final GuestInterrupt ENABLED_EXCEPTION =
            new GuestInterrupt.Program(GuestInterrupt.ProgramReason.FLOATING_POINT_ENABLED, "");

    private FloatingPoint() {
    }

    /** A context loaded with the FPSCR's rounding mode and enables. */
    static FpContext context(CpuState s) {
        return FpContext.of(s.fpscr);
    }

    /**
     * Completes an arithmetic, rounding or conversion instruction (Book I 4.4):
     * <ul>
     * <li>the exception bits in {@code c.flags} are set (sticky; FX on a 0-to-1 transition; VX and FEX follow);</li>
     * <li>FR and FI are replaced by the operation's (when {@code altersFrFi});</li>
     * <li>an enabled invalid-operation or zero-divide exception (4.4.1, 4.4.3) leaves FRT and FPRF unchanged and
     *     clears FR and FI; otherwise FRT gets the result and FPRF its class ({@code fprf}: 0 none, 1 double,
     *     2 single-precision classification);</li>
     * <li>Rc=1 copies FX, FEX, VX, OX into CR1;</li>
     * <li>FEX=1 with MSR[FE0|FE1] != 0 raises the floating-point enabled exception program interrupt.</li>
     * </ul>
     *
     * @return whether FRT was written (false when an enabled exception suppressed the result)
     */
    static boolean complete(CpuState s, int frt, long result, FpContext c, boolean altersFrFi, int fprf,
            boolean rc) {
        long fpscr = s.fpscr;
        long flags = c.flags;
        if (altersFrFi) {
            fpscr = (fpscr & ~(Fpscr.FR | Fpscr.FI)) | (flags & (Fpscr.FR | Fpscr.FI));
        }
        fpscr = Fpscr.raise(fpscr, flags);
        boolean suppressed = ((flags & Fpscr.ALL_VX) != 0 && (fpscr & Fpscr.VE) != 0)
                || ((flags & Fpscr.ZX) != 0 && (fpscr & Fpscr.ZE) != 0);
        if (suppressed) {
            fpscr &= ~(Fpscr.FR | Fpscr.FI);
        } else {
            s.setFprBits(frt, result);
            if (fprf != 0) {
                fpscr = Fpscr.withResultClass(fpscr, Fpscr.resultClass(result, fprf == 2));
            }
        }
        s.fpscr = fpscr;
        finish(s, rc);
        return !suppressed;
    }

    /** The record form's CR1 update and the enabled-exception interrupt, for instructions that changed FPSCR. */
    static void finish(CpuState s, boolean rc) {
        if (rc) {
            s.setCrField(1, Fpscr.cr1(s.fpscr));
        }
        if ((s.fpscr & Fpscr.FEX) != 0 && (s.msr & (Msr.FE0 | Msr.FE1)) != 0) {
            s.raise(ENABLED_EXCEPTION);
        }
    }
}
