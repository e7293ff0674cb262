package dev.pvm.placement.layout;

import dev.pvm.placement.InvalidFieldException;
import dev.pvm.placement.alloc.PhbWindowPlacement;
import dev.pvm.placement.machine.MachineType;
import dev.pvm.placement.pci.HostDevice;
import dev.pvm.placement.pci.HostDeviceKind;
import dev.pvm.placement.pci.Nvlink2Properties;
import dev.pvm.placement.pci.PhbDevice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Matches the PHBs' device lists with the device descriptions and checks both: every named device is described
 * once, can be passed through, sits on one PHB only, and keeps its IOMMU group on one vPHB.
 */
final class DeviceAssignment {

  /** Host PCI address as device-service writes it: domain:bus:device.function, lower-case hex. */
  private static final Pattern PCI_ADDRESS = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\\.[0-7]");
  /** Smallest host page: GPU RAM and ATSD regions are mapped in whole pages. */
  private static final long MIN_PAGE = 4096;

  private DeviceAssignment() {}

  /** The PHBs by ascending index, the default PHB 0 always among them. */
  static List<PhbAssignment> assign(MachineType machine, List<PhbRequest> phbs, List<HostDevice> descriptions) {
    Map<String, Integer> describedAt = new HashMap<>();
    for (int k = 0; k < descriptions.size(); k++) {
      String address = descriptions.get(k).address();
      Integer earlier = describedAt.putIfAbsent(address, k);
      if (earlier != null) {
        throw new InvalidFieldException(
            "devices[" + k + "].address", "host device " + address + " is already described by devices[" + earlier + "]");
      }
    }
    TreeMap<Integer, PhbAssignment> byIndex = new TreeMap<>();
    Map<Integer, String> indexFieldOf = new HashMap<>();
    Map<String, String> placedAt = new HashMap<>();
    Map<Integer, PhbGroupUse> groupUse = new HashMap<>();
    for (int i = 0; i < phbs.size(); i++) {
      PhbRequest phb = phbs.get(i);
      String indexField = "phbs[" + i + "].index";
      int index = PhbWindowPlacement.checkIndex(machine, phb.index(), indexField);
      String earlier = indexFieldOf.putIfAbsent(index, indexField);
      if (earlier != null) {
        throw new InvalidFieldException(
            indexField, "PHB index " + index + " is already used by " + earlier.replace(".index", ""));
      }
      List<PhbDevice> devices = new ArrayList<>();
      for (int j = 0; j < phb.devices().size(); j++) {
        String field = "phbs[" + i + "].devices[" + j + "]";
        String address = phb.devices().get(j);
        Integer k = describedAt.get(address);
        if (k == null) {
          throw new InvalidFieldException(
              field, "host device " + address + " is not described in devices (device-service reports every device "
                  + "it reserved)");
        }
        String previous = placedAt.putIfAbsent(address, field);
        if (previous != null) {
          throw new InvalidFieldException(field, "host device " + address + " is already passed through at " + previous);
        }
        HostDevice host = descriptions.get(k);
        checkDescription(host, "devices[" + k + "]");
        PhbGroupUse use = groupUse.putIfAbsent(host.iommuGroup(), new PhbGroupUse(index, address));
        if (use != null && use.phbIndex() != index) {
          throw new InvalidFieldException(
              field,
              "host device " + address + " is in IOMMU group " + host.iommuGroup() + " like " + use.address()
                  + " on PHB " + use.phbIndex() + "; VFIO needs every device of a group on one vPHB");
        }
        devices.add(new PhbDevice(host, field, "devices[" + k + "]"));
      }
      byIndex.put(index, new PhbAssignment(index, indexField, devices));
    }
    // The default PHB always exists (spec 3: index 0 is the machine's own spapr-pci-host-bridge).
    byIndex.putIfAbsent(0, new PhbAssignment(0, "index", List.of()));
    return List.copyOf(byIndex.values());
  }

  private record PhbGroupUse(int phbIndex, String address) {}

  private static void checkDescription(HostDevice host, String field) {
    if (!PCI_ADDRESS.matcher(host.address()).matches()) {
      throw new InvalidFieldException(
          field + ".address", "\"" + host.address() + "\" is not a host PCI address DDDD:BB:DD.F in lower-case hex");
    }
    if (host.iommuGroup() < 0) {
      throw new InvalidFieldException(
          field + ".iommuGroup",
          "host device " + host.address() + " is in no IOMMU group, so VFIO cannot pass it through");
    }
    if (host.guestDevfn() < 0 || host.guestDevfn() > 0xff) {
      throw new InvalidFieldException(
          field + ".guestDevfn", "guest devfn " + Integer.toUnsignedString(host.guestDevfn()) + " is outside 0..255");
    }
    Optional<Nvlink2Properties> nvlink2 = host.nvlink2();
    boolean gpuKind = host.kind() == HostDeviceKind.NVLINK2_GPU;
    boolean bridgeKind = host.kind() == HostDeviceKind.NVLINK2_BRIDGE;
    if ((gpuKind || bridgeKind) && (nvlink2.isEmpty() || nvlink2.get().tgt() == 0)) {
      throw new InvalidFieldException(
          field + ".nvlink2.tgt", "NVLink2 device " + host.address() + " has no tgt; its GPU cannot be found");
    }
    if (nvlink2.isEmpty()) {
      return;
    }
    Nvlink2Properties properties = nvlink2.get();
    if (gpuKind && properties.gpuRamSize() == 0) {
      throw new InvalidFieldException(
          field + ".nvlink2.gpuRamSize", "NVLink2 GPU " + host.address() + " has no GPU RAM region");
    }
    if (bridgeKind && properties.gpuRamSize() != 0) {
      throw new InvalidFieldException(
          field + ".nvlink2.gpuRamSize", "NVLink2 bridge " + host.address() + " cannot have a GPU RAM region");
    }
    if (properties.gpuRamSize() < 0 || properties.gpuRamSize() % MIN_PAGE != 0) {
      throw new InvalidFieldException(
          field + ".nvlink2.gpuRamSize",
          "GPU RAM size " + Long.toUnsignedString(properties.gpuRamSize()) + " is not a whole number of pages");
    }
    long atsd = properties.atsdSize();
    if (atsd != 0 && (atsd < MIN_PAGE || Long.bitCount(atsd) != 1)) {
      throw new InvalidFieldException(
          field + ".nvlink2.atsdSize",
          "ATSD region size " + Long.toUnsignedString(atsd) + " is not one host page (a power of two >= 4096)");
    }
  }
}
