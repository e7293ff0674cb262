package dev.pvm.device.catalog;

import dev.pvm.device.UnknownDeviceException;
import dev.pvm.device.host.HostDevice;
import dev.pvm.device.host.HostInventory;
import dev.pvm.device.host.PciAddress;
import dev.pvm.device.reservation.ReservationBook;
import dev.pvm.device.reservation.ReservationListener;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The service's domain facade: host devices joined with their holders, reservations, and change watching. */
public final class DeviceCatalog {
  private final HostInventory inventory;
  private final ReservationBook reservations;
  private final AtsdLaunchCounter atsd;

  public DeviceCatalog(HostInventory inventory, ReservationBook reservations, AtsdLaunchCounter atsd) {
    this.inventory = inventory;
    this.reservations = reservations;
    this.atsd = atsd;
  }

  /** "sysfs" or "simulated:&lt;description&gt;". */
  public String source() {
    return inventory.source();
  }

  public List<DeviceView> list() {
    var holders = reservations.holders();
    return inventory.devices().stream()
        .map(d -> view(d, Optional.ofNullable(holders.get(d.address()))))
        .toList();
  }

  public DeviceView get(PciAddress address, String field) {
    HostDevice device = inventory.find(address)
        .orElseThrow(() -> new UnknownDeviceException(address.toString(), field));
    return view(device, reservations.holder(address));
  }

  public List<HostDevice> reserve(String vmId, List<PciAddress> addresses) {
    return reservations.reserve(vmId, addresses);
  }

  public List<PciAddress> release(String vmId) {
    return reservations.release(vmId);
  }

  /**
   * Sends the current state as {@link DeviceChange.Kind#EXISTING} events, then every change until the returned
   * handle is closed. Changes committed while the snapshot is sent may also be delivered after it.
   */
  public AutoCloseable watch(Consumer<DeviceChange> sink) {
    ReservationListener listener = (address, holder) -> inventory.find(address).ifPresent(d -> sink.accept(
        new DeviceChange(holder.isPresent() ? DeviceChange.Kind.RESERVED : DeviceChange.Kind.RELEASED,
            view(d, holder))));
    reservations.addListener(listener);
    for (DeviceView v : list()) {
      sink.accept(new DeviceChange(DeviceChange.Kind.EXISTING, v));
    }
    return () -> reservations.removeListener(listener);
  }

  private DeviceView view(HostDevice device, Optional<String> holder) {
    return new DeviceView(device, holder, atsd.launches(device.address()));
  }
}
