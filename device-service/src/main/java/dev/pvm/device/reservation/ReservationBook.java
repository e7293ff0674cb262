package dev.pvm.device.reservation;

import dev.pvm.device.DeviceConflictException;
import dev.pvm.device.InvalidFieldException;
import dev.pvm.device.UnknownDeviceException;
import dev.pvm.device.host.HostDevice;
import dev.pvm.device.host.HostInventory;
import dev.pvm.device.host.PciAddress;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which VM holds which host device. All changes are serialised, validated against the host inventory, written
 * durably ({@link ReservationSnapshotFile}) and only then made visible and announced to listeners.
 *
 * <p>Rules: a reservation is all-or-nothing; asking again for what a VM already holds succeeds without change;
 * reserving a device reserves every device of its IOMMU group for the same VM (VFIO attaches whole groups to one
 * container), and fails, naming the group and holder, when any of them is held by another VM.
 */
public final class ReservationBook {
  private final HostInventory inventory;
  private final ReservationSnapshotFile file;
  private final List<ReservationListener> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private SortedMap<PciAddress, String> holders;
  private long generation;

  public ReservationBook(HostInventory inventory, ReservationSnapshotFile file) {
    this.inventory = inventory;
    this.file = file;
    ReservationSnapshotFile.Snapshot snapshot = file.load();
    this.holders = snapshot.reservations();
    this.generation = snapshot.generation();
  }

  public void addListener(ReservationListener listener) {
    listeners.add(listener);
  }

  public void removeListener(ReservationListener listener) {
    listeners.remove(listener);
  }

  public Optional<String> holder(PciAddress address) {
    synchronized (lock) {
      return Optional.ofNullable(holders.get(address));
    }
  }

  /** A consistent copy of all holders. */
  public SortedMap<PciAddress, String> holders() {
    synchronized (lock) {
      return new TreeMap<>(holders);
    }
  }

  /**
   * Reserves {@code requested} and their IOMMU-group companions for {@code vmId}.
   *
   * @return every device the VM now holds because of this request (requested ones and group companions), in
   *     address order
   */
  public List<HostDevice> reserve(String vmId, List<PciAddress> requested) {
    requireVmId(vmId);
    if (requested.isEmpty()) {
      throw new InvalidFieldException("addresses", "name at least one host PCI address to reserve");
    }
    Set<PciAddress> wanted = new LinkedHashSet<>();
    for (int i = 0; i < requested.size(); i++) {
      PciAddress address = requested.get(i);
      if (inventory.find(address).isEmpty()) {
        throw new UnknownDeviceException(address.toString(), "addresses[" + i + "]");
      }
      wanted.addAll(inventory.groupOf(address));
    }
    Map<PciAddress, String> added = new TreeMap<>();
    synchronized (lock) {
      for (PciAddress requestedAddress : requested) {
        for (PciAddress member : inventory.groupOf(requestedAddress)) {
          String holder = holders.get(member);
          if (holder != null && !holder.equals(vmId)) {
            throw conflict(requestedAddress, member, holder);
          }
          if (holder == null) {
            added.put(member, vmId);
          }
        }
      }
      if (!added.isEmpty()) {
        commit(added, List.of());
      }
    }
    announce(added.keySet(), Optional.of(vmId));
    return wanted.stream().sorted().map(a -> inventory.find(a).orElseThrow()).toList();
  }

  /** Releases everything {@code vmId} holds; returns the released addresses (empty when it held nothing). */
  public List<PciAddress> release(String vmId) {
    requireVmId(vmId);
    List<PciAddress> released;
    synchronized (lock) {
      released = holders.entrySet().stream()
          .filter(e -> e.getValue().equals(vmId))
          .map(Map.Entry::getKey)
          .toList();
      if (!released.isEmpty()) {
        commit(Map.of(), released);
      }
    }
    announce(released, Optional.empty());
    return released;
  }

  /** Writes the new state durably, then publishes it; on a write failure nothing changes. Caller holds lock. */
  private void commit(Map<PciAddress, String> added, Collection<PciAddress> removed) {
    SortedMap<PciAddress, String> next = new TreeMap<>(holders);
    next.putAll(added);
    removed.forEach(next::remove);
    file.write(new ReservationSnapshotFile.Snapshot(generation + 1, next));
    holders = next;
    generation++;
  }

  private void announce(Collection<PciAddress> addresses, Optional<String> holder) {
    for (PciAddress a : addresses) {
      for (ReservationListener l : listeners) {
        l.changed(a, holder);
      }
    }
  }

  private DeviceConflictException conflict(PciAddress requested, PciAddress held, String holder) {
    int group = inventory.find(held).map(HostDevice::iommuGroup).orElse(-1);
    List<String> members = inventory.groupOf(requested).stream().map(PciAddress::toString).toList();
    return new DeviceConflictException(requested.toString(), held.toString(), holder, group, members);
  }

  private static void requireVmId(String vmId) {
    if (vmId == null || vmId.isBlank()) {
      throw new InvalidFieldException("vm_id", "a VM id is required");
    }
  }

}
