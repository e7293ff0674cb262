package dev.pvm.engine.cpu.translate;

/**
 * A unit whose method has more bytecode than HotSpot compiles ({@link BlockTranslator#HUGE_METHOD_LIMIT}), where
 * it would run in the JVM's bytecode interpreter, or more with what it inlines than HotSpot inlines into one
 * method, where its later helper calls would stay calls. Carries a shorter
 * length to scan again: proportional to the limit with a margin (exit stubs and fault handlers do not shrink
 * with the body), always shorter than the unit that failed.
 */
final class UnitTooLargeException extends RuntimeException {

    private final int fittingLength;

    /** @param codeLength the unit's bytecode, with what it inlines */
    UnitTooLargeException(int length, int codeLength, int limit) {
        super("unit of " + length + " instructions has " + codeLength + " bytes of bytecode with its inlined helpers",
                null, false, false);
        int estimate = (int) ((long) length * limit * 85 / 100 / codeLength);
        this.fittingLength = Math.max(1, Math.min(length - 1, estimate));
    }

    /** The length to scan the unit at next. */
    int fittingLength() {
        return fittingLength;
    }
}
