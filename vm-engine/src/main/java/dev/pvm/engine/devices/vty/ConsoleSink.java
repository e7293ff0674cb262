package dev.pvm.engine.devices.vty;

/** Where a virtual terminal's output goes (the engine's console buffer, or a terminal). */
@FunctionalInterface
public interface ConsoleSink {

    void write(byte[] bytes, int offset, int length);
}
