package dev.pvm.engine.fdt;

/** A blob is not a well-formed flattened device tree; the message gives the offset and what is wrong. */
public final class FdtFormatException extends RuntimeException {

    public FdtFormatException(String message) {
        super(message);
    }
}
