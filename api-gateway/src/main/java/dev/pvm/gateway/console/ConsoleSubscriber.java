package dev.pvm.gateway.console;

/** Someone following a VM's console: gets every byte in order, then the end of the run. */
public interface ConsoleSubscriber {

    /** Console bytes in order; the first call carries everything printed before subscribing. */
    void onBytes(byte[] bytes);

    /** The engine is gone: no more bytes will come. */
    void onEnd();
}
