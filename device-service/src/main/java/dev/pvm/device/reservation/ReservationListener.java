package dev.pvm.device.reservation;

import dev.pvm.device.host.PciAddress;
import java.util.Optional;

/** Told about every committed change of one device's holder, after it is durable. */
@FunctionalInterface
public interface ReservationListener {
  /**
   * @param holder the VM now holding the device; empty when it was released
   */
  void changed(PciAddress address, Optional<String> holder);
}
