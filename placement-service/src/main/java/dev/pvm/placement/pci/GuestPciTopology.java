package dev.pvm.placement.pci;

import dev.pvm.placement.InvalidFieldException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The guest PCI buses under one PHB: which function sits at which devfn, the PCI-to-PCI bridges that must exist
 * for that, and the order QEMU walks them in.
 *
 * <p>Two ways in: {@link #inListOrder} gives each device the next free slot of the root bus, function 0, in the
 * order the devices are listed (QEMU's rule for {@code -device} without {@code addr=}); {@link #atRequestedAddresses}
 * puts every device exactly where asked and creates a bridge for every devfn a bridge path passes through.
 *
 * @param <T> the caller's device type, carried through unchanged
 */
public final class GuestPciTopology<T> {

  /** A device and where it sits. */
  public record Placed<T>(T device, GuestPciAddress address) {}

  /** One device to place, with the path of the field that named it (for errors). */
  public record Request<T>(T device, String field, GuestPciAddress requested) {}

  private static final int SLOTS_PER_BUS = 32;

  private sealed interface Node permits DeviceNode, BridgeNode {}

  private record DeviceNode<T>(Placed<T> placed, String field) implements Node {}

  private record BridgeNode(GuestPciAddress address) implements Node {}

  /** Buses by bridge path; each maps devfn to what sits there. */
  private final Map<List<Integer>, TreeMap<Integer, Node>> buses = new LinkedHashMap<>();

  private GuestPciTopology() {
    buses.put(List.of(), new TreeMap<>());
  }

  /** Places devices on the root bus, one slot each, in list order (QEMU's automatic devfn assignment). */
  public static <T> GuestPciTopology<T> inListOrder(List<Request<T>> requests) {
    GuestPciTopology<T> topology = new GuestPciTopology<>();
    TreeMap<Integer, Node> root = topology.buses.get(List.of());
    int slot = 0;
    for (Request<T> request : requests) {
      if (slot >= SLOTS_PER_BUS) {
        throw new InvalidFieldException(
            request.field(), "no free slot left on the PHB's root bus (" + SLOTS_PER_BUS + " slots)");
      }
      GuestPciAddress address = new GuestPciAddress(List.of(), slot << 3);
      root.put(address.devfn(), new DeviceNode<>(new Placed<>(request.device(), address), request.field()));
      slot++;
    }
    return topology;
  }

  /** Places every device at the address it asks for, emulating the bridges its path needs. */
  public static <T> GuestPciTopology<T> atRequestedAddresses(List<Request<T>> requests) {
    GuestPciTopology<T> topology = new GuestPciTopology<>();
    for (Request<T> request : requests) {
      topology.place(request);
    }
    topology.checkFunctionZero();
    return topology;
  }

  private void place(Request<T> request) {
    GuestPciAddress address = request.requested();
    List<Integer> path = address.bridgePath();
    for (int depth = 0; depth < path.size(); depth++) {
      List<Integer> parent = path.subList(0, depth);
      int bridgeDevfn = path.get(depth);
      if (bridgeDevfn < 0 || bridgeDevfn > 0xff) {
        throw new InvalidFieldException(
            request.field(), "guest bridge devfn " + bridgeDevfn + " is outside 0..255");
      }
      TreeMap<Integer, Node> bus = buses.get(parent);
      Node existing = bus.get(bridgeDevfn);
      if (existing instanceof DeviceNode<?> device) {
        throw new InvalidFieldException(
            request.field(),
            "guest bridge path passes through "
                + new GuestPciAddress(parent, bridgeDevfn)
                + ", which holds passed-through device "
                + describe(device)
                + ", not a PCI-to-PCI bridge");
      }
      if (existing == null) {
        bus.put(bridgeDevfn, new BridgeNode(new GuestPciAddress(parent, bridgeDevfn)));
        buses.put(List.copyOf(path.subList(0, depth + 1)), new TreeMap<>());
      }
    }
    TreeMap<Integer, Node> bus = buses.get(path);
    Node existing = bus.get(address.devfn());
    if (existing instanceof DeviceNode<?> device) {
      throw new InvalidFieldException(
          request.field(), "guest address " + address + " is already taken by " + describe(device));
    }
    if (existing instanceof BridgeNode) {
      throw new InvalidFieldException(
          request.field(),
          "guest address " + address + " is the PCI-to-PCI bridge other devices' guest bridge path goes through");
    }
    bus.put(address.devfn(), new DeviceNode<>(new Placed<>(request.device(), address), request.field()));
  }

  /** The guest enumerates functions 1-7 of a slot only when function 0 exists, so a slot without it is an error. */
  private void checkFunctionZero() {
    for (Map.Entry<List<Integer>, TreeMap<Integer, Node>> bus : buses.entrySet()) {
      for (Map.Entry<Integer, Node> entry : bus.getValue().entrySet()) {
        int devfn = entry.getKey();
        if ((devfn & 7) != 0 && !bus.getValue().containsKey(devfn & ~7)) {
          String field =
              entry.getValue() instanceof DeviceNode<?> device ? device.field() : firstFieldBehind(bus.getKey());
          throw new InvalidFieldException(
              field,
              "guest address "
                  + new GuestPciAddress(bus.getKey(), devfn)
                  + " is function "
                  + (devfn & 7)
                  + " of a slot without function 0; the guest would not see it");
        }
      }
    }
  }

  private String firstFieldBehind(List<Integer> busPath) {
    for (Map.Entry<List<Integer>, TreeMap<Integer, Node>> bus : buses.entrySet()) {
      if (bus.getKey().size() > busPath.size() && bus.getKey().subList(0, busPath.size()).equals(busPath)) {
        for (Node node : bus.getValue().values()) {
          if (node instanceof DeviceNode<?> device) {
            return device.field();
          }
        }
      }
    }
    throw new IllegalStateException("bridge without devices behind it at " + busPath);
  }

  private static String describe(DeviceNode<?> node) {
    return node.placed().device() instanceof PhbDevice device
        ? device.host().address() + " (" + node.field() + ")"
        : node.field();
  }

  /** Every passed-through device, depth first in ascending devfn order through every bridge. */
  public List<Placed<T>> devices() {
    List<Placed<T>> out = new ArrayList<>();
    walk(List.of(), true, out);
    return out;
  }

  /**
   * The devices QEMU's NVLink2 walk visits, in its order (spec 4.3 step 1): ascending devfn, descending into a
   * bridge right after visiting it, but only when its header type byte is exactly 0x01, so a bridge sharing its
   * slot with other functions (0x81) hides its bus.
   */
  public List<Placed<T>> nvlink2WalkOrder() {
    List<Placed<T>> out = new ArrayList<>();
    walk(List.of(), false, out);
    return out;
  }

  /** The bridges to emulate, depth first in ascending devfn order. */
  public List<GuestPciBridge> bridges() {
    List<GuestPciBridge> out = new ArrayList<>();
    collectBridges(List.of(), out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private void walk(List<Integer> busPath, boolean throughMultifunctionBridges, List<Placed<T>> out) {
    TreeMap<Integer, Node> bus = buses.get(busPath);
    for (Map.Entry<Integer, Node> entry : bus.entrySet()) {
      switch (entry.getValue()) {
        case DeviceNode<?> device -> out.add((Placed<T>) device.placed());
        case BridgeNode bridge -> {
          if (throughMultifunctionBridges || !sharesSlot(bus, entry.getKey())) {
            walk(childPath(busPath, entry.getKey()), throughMultifunctionBridges, out);
          }
        }
      }
    }
  }

  private void collectBridges(List<Integer> busPath, List<GuestPciBridge> out) {
    TreeMap<Integer, Node> bus = buses.get(busPath);
    for (Map.Entry<Integer, Node> entry : bus.entrySet()) {
      if (entry.getValue() instanceof BridgeNode bridge) {
        out.add(new GuestPciBridge(bridge.address(), sharesSlot(bus, entry.getKey())));
        collectBridges(childPath(busPath, entry.getKey()), out);
      }
    }
  }

  private static boolean sharesSlot(TreeMap<Integer, Node> bus, int devfn) {
    int slotBase = devfn & ~7;
    return bus.subMap(slotBase, true, slotBase + 7, true).size() > 1;
  }

  private static List<Integer> childPath(List<Integer> busPath, int devfn) {
    List<Integer> child = new ArrayList<>(busPath);
    child.add(devfn);
    return List.copyOf(child);
  }
}
