package dev.pvm.placement.layout;

import dev.pvm.placement.numa.NumaNodeRequest;
import dev.pvm.placement.pci.HostDevice;
import java.util.List;

/**
 * Everything the layout depends on: the guest-visible parts of the VM spec and the descriptions of the host
 * devices it passes through.
 *
 * @param machine machine type name or alias
 * @param vcpus number of vCPUs
 * @param memoryMib guest RAM
 * @param numa user NUMA nodes, empty for none
 * @param phbs PHBs beyond (or, with index 0, adding devices to) the default one
 * @param devices descriptions of the host devices the PHBs name
 */
public record LayoutRequest(
    String machine,
    long vcpus,
    long memoryMib,
    List<NumaNodeRequest> numa,
    List<PhbRequest> phbs,
    List<HostDevice> devices) {
  public LayoutRequest {
    numa = List.copyOf(numa);
    phbs = List.copyOf(phbs);
    devices = List.copyOf(devices);
  }
}
