package dev.pvm.placement.layout;

import java.util.List;

/**
 * A PHB the VM spec asks for.
 *
 * @param index the PHB index (kept wide so that an out-of-range uint32 is reported, not truncated)
 * @param devices host PCI addresses of the devices passed through on it, in the spec's order
 */
public record PhbRequest(long index, List<String> devices) {
  public PhbRequest {
    devices = List.copyOf(devices);
  }
}
