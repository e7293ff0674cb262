package dev.pvm.engine.cpu.isa;

/** The instruction table is malformed or ambiguous; the message names the source and line. */
public final class IsaTableException extends RuntimeException {

    private final String source;
    private final int line;

    public IsaTableException(String source, int line, String message) {
        super(source + ":" + line + ": " + message);
        this.source = source;
        this.line = line;
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }
}
