package dev.pvm.engine.cpu.interrupt;

/**
 * An interrupt the processor cannot take (a machine check while MSR[ME]=0): the processor enters checkstop
 * (Power ISA v3.0B Book III 7.5.2) and the guest cannot go on.
 */
public final class CheckstopException extends RuntimeException {

    public CheckstopException(String message) {
        super(message);
    }
}
