package dev.pvm.engine.cpu.runtime;

/**
 * Thrown by a translated store, before it writes anything, when the target page holds translated code. The
 * unit leaves with the guest state exactly as before the store; the executor then runs the store in the
 * interpreter (whose memory view invalidates the page's translations) and looks the next unit up afresh.
 *
 * <p>JUSTIFICATION: one shared instance without a stack trace. It is control flow, not an error, and it must
 * cost nothing to throw when guest code writes near its own code (trampolines, JITs inside the guest).
 */
public final class CodeModifiedSignal extends RuntimeException {

    public static final CodeModifiedSignal INSTANCE = new CodeModifiedSignal();

    private CodeModifiedSignal() {
        super("store to a page holding translated code", null, false, false);
    }
}
