package dev.pvm.engine.cpu.runtime;

/**
 * What a translated unit's {@code run} returns. Non-negative values are the index of a direct exit (a branch or
 * fall-through to a successor known at translation time, reached through that exit's chain slot).
 */
public final class CompiledUnitExits {

    /** Left through a register branch (bclr/bcctr) or a fallback that changed NIA: look {@code cpu.nia} up. */
    public static final int INDIRECT = -1;
    /** Stopped: an interrupt is pending or something requested a stop. */
    public static final int STOP = -2;
    /** A store hit translated code; {@code cpu.nia} is the store, not yet executed. */
    public static final int CODE_MODIFIED = -3;

    private CompiledUnitExits() {
    }
}
