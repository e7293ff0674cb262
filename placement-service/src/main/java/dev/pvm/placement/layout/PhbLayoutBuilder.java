package dev.pvm.placement.layout;

import dev.pvm.placement.Nvlink2TopologyException;
import dev.pvm.placement.alloc.AtsdAdvertisement;
import dev.pvm.placement.alloc.GpuNumaIds;
import dev.pvm.placement.alloc.Nvlink2Phandles;
import dev.pvm.placement.alloc.Nvlink2Slot;
import dev.pvm.placement.alloc.Nvlink2SlotCollector;
import dev.pvm.placement.alloc.PhbWindows;
import dev.pvm.placement.numa.Form1Associativity;
import dev.pvm.placement.pci.GuestPciAddress;
import dev.pvm.placement.pci.GuestPciTopology;
import dev.pvm.placement.pci.GuestPciTopology.Placed;
import dev.pvm.placement.pci.PhbDevice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Builds one vPHB's layout: guest positions of its devices, its NVLink2 slots and what the guest sees of them. */
final class PhbLayoutBuilder {

  private PhbLayoutBuilder() {}

  static PhbLayout build(
      PhbWindows windows, PhbAssignment assignment, GpuNumaIds numaIds, Form1Associativity associativity) {
    GuestPciTopology<PhbDevice> topology = topology(assignment);
    int phb = windows.index();
    List<String> warnings = new ArrayList<>();

    List<Nvlink2Slot> slots = Nvlink2SlotCollector.collect(windows, topology.nvlink2WalkOrder(), numaIds);
    if (windows.nvlink2Enabled()) {
      warnAboutHiddenNvlink2Devices(topology, warnings);
    }
    List<Nvlink2Slot> withGpu = slots.stream().filter(slot -> slot.gpu().isPresent()).toList();
    for (Nvlink2Slot slot : slots) {
      if (slot.gpu().isEmpty()) {
        // Spec 12.2: upstream dereferences the missing GPU and crashes; such slots are skipped everywhere.
        warnings.add(
            String.format(
                "NVLink2 bridge(s) %s on vPHB %d have no GPU with tgt 0x%x on this vPHB; they are passed through "
                    + "without NVLink2 properties",
                String.join(", ", slot.links().stream().map(l -> l.bridge().device().host().address()).toList()),
                phb,
                slot.tgt()));
      }
    }

    Set<Integer> groups = new TreeSet<>();
    for (PhbDevice device : assignment.devices()) {
      groups.add(device.host().iommuGroup());
    }
    boolean eehCapable = groups.size() == 1;

    Map<PhbDevice, DeviceRole> roles = new HashMap<>();
    List<GpuSlotLayout> gpuSlots = new ArrayList<>();
    int npuLinkIndex = 0;
    for (Nvlink2Slot slot : withGpu) {
      Placed<PhbDevice> gpu = slot.gpu().orElseThrow();
      roles.put(gpu.device(), DeviceRole.NVLINK2_GPU);
      List<NvLinkLayout> links = new ArrayList<>();
      for (int j = 0; j < slot.links().size(); j++) {
        Nvlink2Slot.Link link = slot.links().get(j);
        roles.put(link.bridge().device(), DeviceRole.NVLINK2_BRIDGE);
        int devfn = link.bridge().address().devfn();
        links.add(
            new NvLinkLayout(
                j,
                link.bridge().device().host().address(),
                devfn,
                Nvlink2Phandles.pciDevice(phb, devfn),
                Nvlink2Phandles.nvlink(phb, slot.index(), j),
                link.atsd(),
                link.linkSpeed(),
                npuLinkIndex++));
      }
      gpuSlots.add(
          new GpuSlotLayout(
              slot.index(),
              slot.tgt(),
              gpu.device().host().address(),
              gpu.address().devfn(),
              slot.ram(),
              slot.numaId(),
              associativity.gpu(slot.numaId()),
              Nvlink2Phandles.pciDevice(phb, gpu.address().devfn()),
              Nvlink2Phandles.gpuRam(phb, slot.index()),
              links));
    }

    boolean advertised = false;
    List<Long> mmioAtsd = List.of();
    Optional<String> atsdWarning = Optional.empty();
    // Without a slot that has a GPU the PHB keeps no NVLink2 configuration, so nothing about ATSD is emitted.
    if (!withGpu.isEmpty()) {
      AtsdAdvertisement atsd = AtsdAdvertisement.of(slots, eehCapable);
      advertised = atsd.advertised();
      mmioAtsd = atsd.entries();
      atsdWarning = atsd.notAdvertisedReason();
      warnings.addAll(atsd.warnings());
    }

    List<PlacedDevice> devices = new ArrayList<>();
    Map<Integer, Placed<PhbDevice>> nvlink2ByDevfn = new HashMap<>();
    for (Placed<PhbDevice> placed : topology.devices()) {
      DeviceRole role = roles.getOrDefault(placed.device(), DeviceRole.PCI);
      int phandle = 0;
      if (role != DeviceRole.PCI) {
        int devfn = placed.address().devfn();
        Placed<PhbDevice> clash = nvlink2ByDevfn.putIfAbsent(devfn, placed);
        if (clash != null) {
          // Spec 2.2 / 12.11: PHANDLE_PCIDEV ignores the bus, so the device tree would get one phandle twice.
          throw new Nvlink2TopologyException(
              placed.device().field(),
              String.format(
                  "NVLink2 devices %s and %s both sit at devfn 0x%02x of vPHB %d (on different buses); their "
                      + "phandles would collide because the phandle encoding ignores the bus number",
                  clash.device().host().address(), placed.device().host().address(), devfn, phb));
        }
        phandle = Nvlink2Phandles.pciDevice(phb, devfn);
      }
      devices.add(
          new PlacedDevice(
              placed.device().host().address(), placed.address(), phandle, role, placed.device().host().iommuGroup()));
    }
    return new PhbLayout(
        windows,
        eehCapable,
        advertised,
        mmioAtsd,
        atsdWarning,
        warnings,
        gpuSlots,
        devices,
        topology.bridges());
  }

  private static GuestPciTopology<PhbDevice> topology(PhbAssignment assignment) {
    boolean explicit = assignment.devices().stream().anyMatch(d -> d.host().requestsGuestPosition());
    List<GuestPciTopology.Request<PhbDevice>> requests = new ArrayList<>();
    for (PhbDevice device : assignment.devices()) {
      GuestPciAddress requested =
          explicit ? new GuestPciAddress(device.host().guestBridgePath(), device.host().guestDevfn()) : null;
      requests.add(new GuestPciTopology.Request<>(device, device.field(), requested));
    }
    return explicit ? GuestPciTopology.atRequestedAddresses(requests) : GuestPciTopology.inListOrder(requests);
  }

  /** NVLink2 devices behind a bridge the walk does not descend into (header type 0x81) lose NVLink2, as in QEMU. */
  private static void warnAboutHiddenNvlink2Devices(GuestPciTopology<PhbDevice> topology, List<String> warnings) {
    Set<PhbDevice> walked = new HashSet<>();
    for (Placed<PhbDevice> placed : topology.nvlink2WalkOrder()) {
      walked.add(placed.device());
    }
    for (Placed<PhbDevice> placed : topology.devices()) {
      if (placed.device().host().tgt() != 0 && !walked.contains(placed.device())) {
        warnings.add(
            "NVLink2 device "
                + placed.device().host().address()
                + " at "
                + placed.address()
                + " sits behind a PCI bridge that shares its slot (header type 0x81), which the NVLink2 walk does "
                + "not descend into; it is passed through without NVLink2");
      }
    }
  }
}
