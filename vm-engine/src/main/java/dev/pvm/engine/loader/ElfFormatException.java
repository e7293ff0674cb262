package dev.pvm.engine.loader;

/** A file is not an ELF image the engine can load; the message says what is wrong. */
public final class ElfFormatException extends RuntimeException {

    public ElfFormatException(String message) {
        super(message);
    }
}
