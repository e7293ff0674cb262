package dev.pvm.placement.pci;

/**
 * A host device named on a PHB, with the request paths errors about it should name.
 *
 * @param host the device description
 * @param field where the PHB names it, e.g. {@code phbs[1].devices[0]}
 * @param descriptionField where it is described, e.g. {@code devices[3]}
 */
public record PhbDevice(HostDevice host, String field, String descriptionField) {}
