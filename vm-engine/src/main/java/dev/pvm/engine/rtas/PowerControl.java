package dev.pvm.engine.rtas;

/** What the RTAS power services ask of the machine. */
public interface PowerControl {

    /** The guest asked to power off; the machine stops after the current instruction. */
    void requestPowerOff();

    /** The guest asked to reboot; the machine resets after the current instruction. */
    void requestReset();
}
