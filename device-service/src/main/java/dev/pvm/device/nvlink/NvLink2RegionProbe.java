package dev.pvm.device.nvlink;

import dev.pvm.device.DeviceServiceException;
import dev.pvm.device.host.DeviceClassifier;
import dev.pvm.device.host.DeviceKind;
import dev.pvm.device.host.HostDevice;
import dev.pvm.device.host.HostInventory;
import dev.pvm.device.host.NvLink2Details;
import dev.pvm.device.host.PciAddress;
import dev.pvm.vfio.NvLink2Regions;
import dev.pvm.vfio.RegionCapability;
import dev.pvm.vfio.RegionInfo;
import dev.pvm.vfio.VfioContainer;
import dev.pvm.vfio.VfioDevice;
import dev.pvm.vfio.VfioException;
import dev.pvm.vfio.VfioGroup;
import dev.pvm.vfio.VfioKernel;
import dev.pvm.vfio.VfioUnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the NVLink2 regions of every GPU and NPU bridge bound to vfio-pci through VFIO, as QEMU's
 * vfio_pci_nvidia_v100_ram_init and vfio_pci_nvlink2_init do (spec 7.3, 7.4): the GPU RAM region
 * (0x800010de/1) with its SSATGT capability, the ATSD region (0x80001014/1) with SSATGT and LNKSPD. The answers
 * replace the device-tree-derived sizes and add where an engine maps each region.
 *
 * <p>Each group is opened only for the probe and closed again: while a VM runs, its engine holds the group. A
 * group with a reserved device is therefore not opened at all, and a group another process holds (EBUSY) is not
 * an error: with an {@link NvLink2AnswerFile}, both keep the last answers VFIO gave for their devices, so a
 * restarted device-service neither fails nor loses a running VM's devices.
 */
public final class NvLink2RegionProbe {
  private static final Logger log = LoggerFactory.getLogger(NvLink2RegionProbe.class);

  private final VfioKernel kernel;
  private final Optional<NvLink2AnswerFile> answers;

  /** A probe that keeps no answers: a group it cannot open leaves its devices with the device tree's details. */
  public NvLink2RegionProbe(VfioKernel kernel) {
    this(kernel, Optional.empty());
  }

  public NvLink2RegionProbe(VfioKernel kernel, Optional<NvLink2AnswerFile> answers) {
    this.kernel = kernel;
    this.answers = answers;
  }

  /** What VFIO reports for one device's NVLink2 region. */
  public record NvLink2Region(RegionInfo region, long tgt, Optional<Integer> linkSpeed, VfioKernel.RegionBacking backing) {
    NvLink2AnswerFile.Answer answer() {
      return new NvLink2AnswerFile.Answer(region.size(), tgt, linkSpeed.orElse(null), backing.path(),
          backing.offset());
    }
  }

  public HostInventory probe(HostInventory inventory) {
    return probe(inventory, Set.of());
  }

  /**
   * @param reserved devices VMs hold: their groups are not opened (their engines have them)
   */
  public HostInventory probe(HostInventory inventory, Set<PciAddress> reserved) {
    Map<Integer, List<HostDevice>> byGroup = new LinkedHashMap<>();
    for (HostDevice d : inventory.devices()) {
      if (candidate(d)) {
        byGroup.computeIfAbsent(d.iommuGroup(), g -> new ArrayList<>()).add(d);
      }
    }
    if (byGroup.isEmpty()) {
      return inventory;
    }
    Map<PciAddress, NvLink2AnswerFile.Answer> last = answers.map(NvLink2AnswerFile::load).orElse(Map.of());
    Map<PciAddress, NvLink2AnswerFile.Answer> now = new TreeMap<>();
    List<HostDevice> result = new ArrayList<>(inventory.devices());
    for (Map.Entry<Integer, List<HostDevice>> group : byGroup.entrySet()) {
      List<HostDevice> members = group.getValue();
      if (members.stream().anyMatch(d -> reserved.contains(d.address()))) {
        keepLast(group.getKey(), members, last, now, "it holds devices reserved for a VM");
        continue;
      }
      try {
        for (Map.Entry<HostDevice, NvLink2Region> found : probeGroup(group.getKey(), members).entrySet()) {
          now.put(found.getKey().address(), found.getValue().answer());
        }
      } catch (VfioUnavailableException e) {
        if (VfioGroup.busy(e)) {
          keepLast(group.getKey(), members, last, now, "another process (a VM's engine) holds it");
        } else {
          log.warn("NVLink2 regions of IOMMU group {} not read through VFIO: {}", group.getKey(), e.getMessage());
        }
      } catch (VfioException | DeviceServiceException e) {
        log.warn("NVLink2 regions of IOMMU group {} could not be read: {}", group.getKey(), e.getMessage());
      }
    }
    for (int i = 0; i < result.size(); i++) {
      NvLink2AnswerFile.Answer a = now.get(result.get(i).address());
      if (a != null) {
        result.set(i, merge(result.get(i), a));
      }
    }
    answers.ifPresent(f -> f.save(now));
    return HostInventory.of(inventory.source(), result);
  }

  private static void keepLast(int group, List<HostDevice> members, Map<PciAddress, NvLink2AnswerFile.Answer> last,
      Map<PciAddress, NvLink2AnswerFile.Answer> now, String why) {
    int kept = 0;
    for (HostDevice d : members) {
      NvLink2AnswerFile.Answer a = last.get(d.address());
      if (a != null) {
        now.put(d.address(), a);
        kept++;
      }
    }
    if (kept == members.size()) {
      log.info("IOMMU group {} not probed ({}): keeping the last VFIO answers for its devices", group, why);
    } else {
      log.warn("IOMMU group {} not probed ({}) and {} of its {} devices have no earlier VFIO answer: those keep "
          + "the host device tree's details only", group, why, members.size() - kept, members.size());
    }
  }

  private static boolean candidate(HostDevice d) {
    boolean nvlinkVendor = d.kind() == DeviceKind.NVLINK2_BRIDGE || d.kind() == DeviceKind.NVLINK2_GPU
        || d.kind() == DeviceKind.GPU;
    return nvlinkVendor && d.driver().equals("vfio-pci") && d.iommuGroup() >= 0;
  }

  /** Opens container, group and each device; reads the regions; closes everything again. */
  public Map<HostDevice, NvLink2Region> probeGroup(int groupNumber, List<HostDevice> devices) {
    Map<HostDevice, NvLink2Region> found = new LinkedHashMap<>();
    try (VfioContainer container = VfioContainer.open(kernel);
        VfioGroup group = VfioGroup.open(kernel, groupNumber)) {
      group.attach(container);
      container.setIommu();
      for (HostDevice d : devices) {
        try (VfioDevice device = group.device(d.address().toString())) {
          read(device, d.vendorId() == DeviceClassifier.VENDOR_NVIDIA).ifPresent(r -> found.put(d, r));
        }
      }
    }
    return found;
  }

  /** The GPU RAM or ATSD region of an open device, when the kernel registered one with the required caps. */
  public static Optional<NvLink2Region> read(VfioDevice device, boolean gpu) {
    Optional<RegionInfo> region = NvLink2Regions.find(device, gpu);
    if (region.isEmpty()) {
      return Optional.empty();
    }
    long tgt = region.get().capability(RegionCapability.Ssatgt.class).orElseThrow().tgt();
    Optional<Integer> speed = region.get().capability(RegionCapability.Lnkspd.class)
        .map(RegionCapability.Lnkspd::linkSpeed);
    VfioKernel.RegionBacking backing = region.get().size() > 0
        ? device.backing(region.get())
        : new VfioKernel.RegionBacking("", 0);
    return Optional.of(new NvLink2Region(region.get(), tgt, speed, backing));
  }

  private static HostDevice merge(HostDevice d, NvLink2AnswerFile.Answer r) {
    boolean gpu = d.vendorId() == DeviceClassifier.VENDOR_NVIDIA;
    NvLink2Details fromTree = d.nvlink2().orElse(new NvLink2Details(r.tgt(), 0, 0, 0, 0, "", 0));
    if (fromTree.tgt() != r.tgt()) {
      log.warn("{}: VFIO reports tgt 0x{} but the host device tree 0x{}; using VFIO's", d.address(),
          Long.toHexString(r.tgt()), Long.toHexString(fromTree.tgt()));
    }
    NvLink2Details merged = new NvLink2Details(r.tgt(), fromTree.gpuRamSize(), fromTree.atsdSize(),
        r.speed().orElse(fromTree.linkSpeed()), fromTree.linkIndex(), "", 0)
        .withRegion(r.regionSize(), gpu, r.backingPath(), r.backingOffset());
    HostDevice withDetails = d.withNvLink2(merged);
    DeviceKind kind = DeviceClassifier.classify(d.vendorId(), d.deviceId(), d.classCode(), d.headerType(), true);
    return new HostDevice(withDetails.address(), d.vendorId(), d.deviceId(), d.classCode(), d.revision(),
        d.headerType(), d.multifunction(), d.numaNode(), d.driver(), d.iommuGroup(), kind, withDetails.nvlink2());
  }
}
