package dev.pvm.engine.devices.pci;

/** Which config-space model a simulated function gets ({@link SimulatedConfigSpaces}). */
public enum DeviceModel {
    /** An NVIDIA V100 with NVLink2. */
    TESLA_V100,
    /** An IBM NPU2 NVLink2 bridge function. */
    NPU2_BRIDGE,
    /** Identity and class only. */
    PLAIN
}
