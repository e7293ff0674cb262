package dev.pvm.engine.cpu;

/** The timebase the guest reads with {@code mftb} (Book II 5.2): a 64-bit count at the model's frequency. */
@FunctionalInterface
public interface TimeBase {

    long read();
}
