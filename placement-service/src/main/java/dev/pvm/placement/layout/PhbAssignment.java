package dev.pvm.placement.layout;

import dev.pvm.placement.pci.PhbDevice;
import java.util.List;

/**
 * The devices one PHB index receives, validated against their descriptions.
 *
 * @param index PHB index
 * @param indexField request path of the index ("phbs[1].index"; "index" of the implicit default PHB)
 * @param devices the devices in the order the spec lists them
 */
record PhbAssignment(int index, String indexField, List<PhbDevice> devices) {
  PhbAssignment {
    devices = List.copyOf(devices);
  }
}
