package dev.pvm.device.simulated;

import dev.pvm.device.HostDescriptionException;
import dev.pvm.device.InvalidFieldException;
import dev.pvm.device.host.DeviceClassifier;
import dev.pvm.device.host.PciAddress;
import dev.pvm.device.nvlink.NvLink2DeviceTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a {@link HostDescription} implies, derived once: the PCI functions (GPU root ports, GPUs, NPU
 * bridges, other devices), IOMMU groups (a GPU and its bridges share one, as the POWER9 NPU PE does), tgt values
 * and ATSD addresses, and where the files go. The sysfs writer, the simulated VFIO kernel and the simulated NPU
 * all read this one layout.
 *
 * <p>Files under {@code hostDirectory}: {@code sysfs/} (a root holding {@code sys/...}) and {@code backing/}
 * ({@code <address>.gpu-ram} sparse files of the GPU RAM size, {@code <address>.atsd} one page per bridge
 * with ATSD).
 */
public final class SimulatedHostLayout {
  /** POWER9 PHB4 root port (IBM 0x1014:0x04c1). */
  static final int DEVICE_IBM_PHB4_ROOT_PORT = 0x04c1;
  static final int CLASS_PCI_BRIDGE = 0x060400;
  static final int CLASS_3D_CONTROLLER = 0x030200;
  /** skiboot's NPU2 bridge config: class 0x068000, revision 1, header type 0 with the multifunction bit. */
  static final int CLASS_NPU_BRIDGE = 0x068000;
  static final int NVLINKS_PER_NPU = 6;

  /** One PCI function of the simulated host. */
  public record Function(
      PciAddress address, Optional<PciAddress> parent, int vendorId, int deviceId, int classCode,
      int revision, int headerByte, int numaNode, String driver, int iommuGroup) {}

  /** A GPU with its NVLink2 facts. */
  public record Gpu(
      PciAddress address, PciAddress rootPort, List<PciAddress> bridges, long tgt, long ramBase,
      long ramSize, int chipId, int iommuGroup, Path backingFile) {}

  /** An NPU bridge (one NVLink) with its NVLink2 facts. */
  public record Bridge(
      PciAddress address, PciAddress gpu, int npu, int linkIndex, long atsdAddress, long atsdSize,
      int linkSpeed, long tgt, Path backingFile) {}

  private final HostDescription description;
  private final Path hostDirectory;
  private final List<Function> functions = new ArrayList<>();
  private final List<Gpu> gpus = new ArrayList<>();
  private final List<Bridge> bridges = new ArrayList<>();

  private SimulatedHostLayout(HostDescription description, Path hostDirectory) {
    this.description = description;
    this.hostDirectory = hostDirectory;
  }

  public static SimulatedHostLayout derive(HostDescription description, Path hostDirectory) {
    SimulatedHostLayout layout = new SimulatedHostLayout(description, hostDirectory);
    layout.build();
    return layout;
  }

  private void build() {
    String where = "host description " + description.name();
    long page = description.pageSize().bytes();
    if (description.name() == null || !description.name().matches("[a-z0-9][a-z0-9.-]*")) {
      throw new HostDescriptionException(where + ": name must be lower-case letters, digits, '.' and '-'");
    }
    if (page < 4096 || Long.bitCount(page) != 1) {
      throw new HostDescriptionException(where + ": page-size " + page + " is not a power of two >= 4096");
    }
    Set<PciAddress> used = new HashSet<>();
    Set<Integer> npuDomains = new HashSet<>();
    for (HostDescription.Npu npu : description.npus()) {
      if (!npuDomains.add(npu.domain()) || npu.domain() < 0 || npu.domain() > 0xffff) {
        throw new HostDescriptionException(where + ": NPU domain " + npu.domain() + " is repeated or invalid");
      }
      if (npu.atsdRegisterCount() < 0 || npu.atsdRegisterCount() > 8) {
        throw new HostDescriptionException(where + ": atsd-registers must be 0..8 (skiboot lists 8)");
      }
    }
    Map<Integer, Integer> gpusPerNpu = new HashMap<>();
    Map<Integer, Set<Integer>> linksPerNpu = new HashMap<>();
    Set<Long> tgts = new HashSet<>();
    Set<Integer> gpuDomains = new HashSet<>();
    int group = 0;
    int index = 0;
    for (HostDescription.Gpu g : description.gpus()) {
      String at = where + ": gpus[" + index++ + "]";
      PciAddress address = address(g.address(), at);
      if (address.bus() == 0 || npuDomains.contains(address.domain()) || !gpuDomains.add(address.domain())) {
        throw new HostDescriptionException(at + ": " + address
            + " must be on bus != 0 of a PCI domain of its own (its PHB's root port is DDDD:00:00.0)");
      }
      if (g.npu() < 0 || g.npu() >= description.npus().size()) {
        throw new HostDescriptionException(at + ": npu " + g.npu() + " is not an index into npus");
      }
      if (g.links().isEmpty() || g.links().size() > 3) {
        throw new HostDescriptionException(at + ": a V100 has 1 to 3 NVLink2 links to one NPU, not "
            + g.links().size());
      }
      if (g.ramSize() == null || g.ramSize().bytes() <= 0 || g.ramSize().bytes() % page != 0) {
        throw new HostDescriptionException(at + ": ram-size must be a positive multiple of the page size");
      }
      long tgt = NvLink2DeviceTree.tgtFromGpuRamBase(g.ramBase());
      if (!tgts.add(tgt)) {
        throw new HostDescriptionException(at + ": ram-base " + Long.toHexString(g.ramBase())
            + " gives a tgt another GPU already has");
      }
      HostDescription.Npu npu = description.npus().get(g.npu());
      int slot = gpusPerNpu.merge(g.npu(), 1, Integer::sum) - 1;
      PciAddress rootPort = new PciAddress(address.domain(), 0, 0, 0);
      functions.add(new Function(rootPort, Optional.empty(), DeviceClassifier.VENDOR_IBM,
          DEVICE_IBM_PHB4_ROOT_PORT, CLASS_PCI_BRIDGE, 0, 0x01, g.numaNode(), "pcieport", -1));
      functions.add(new Function(address, Optional.of(rootPort), DeviceClassifier.VENDOR_NVIDIA,
          g.deviceId(), CLASS_3D_CONTROLLER, 0xa1, 0x00, g.numaNode(), "vfio-pci", group));
      List<PciAddress> linkAddresses = new ArrayList<>();
      for (int j = 0; j < g.links().size(); j++) {
        int link = g.links().get(j);
        if (link < 0 || link >= NVLINKS_PER_NPU
            || !linksPerNpu.computeIfAbsent(g.npu(), k -> new HashSet<>()).add(link)) {
          throw new HostDescriptionException(at + ": link " + link + " is not 0..5 or is used twice on NPU "
              + g.npu());
        }
        PciAddress bridge = new PciAddress(npu.domain(), 0, slot, j);
        linkAddresses.add(bridge);
        long atsd = link < npu.atsdRegisterCount() ? npu.atsdBase() + link * page : 0;
        functions.add(new Function(bridge, Optional.empty(), DeviceClassifier.VENDOR_IBM,
            DeviceClassifier.DEVICE_IBM_NPU2_BRIDGE, CLASS_NPU_BRIDGE, 0x01, 0x80, npu.numaNode(),
            "vfio-pci", group));
        bridges.add(new Bridge(bridge, address, g.npu(), link, atsd, atsd == 0 ? 0 : page, g.linkSpeed(), tgt,
            backing().resolve(bridge + ".atsd")));
      }
      gpus.add(new Gpu(address, rootPort, List.copyOf(linkAddresses), tgt, g.ramBase(), g.ramSize().bytes(),
          npu.chipId(), group, backing().resolve(address + ".gpu-ram")));
      group++;
    }
    int firstOtherGroup = group;
    index = 0;
    for (HostDescription.OtherDevice d : description.devices()) {
      String at = where + ": devices[" + index++ + "]";
      int g;
      if (d.iommuGroup() == null) {
        g = group++;
      } else if (d.iommuGroup() < firstOtherGroup && d.iommuGroup() >= 0) {
        throw new HostDescriptionException(at + ": iommu-group " + d.iommuGroup() + " belongs to a GPU");
      } else {
        g = d.iommuGroup();
        group = Math.max(group, g + 1);
      }
      functions.add(new Function(address(d.address(), at), Optional.empty(), d.vendorId(), d.deviceId(),
          d.classCode(), d.revision(), d.headerType(), d.numaNode() == null ? -1 : d.numaNode(),
          d.driver() == null ? "" : d.driver(), g));
    }
    for (Function f : functions) {
      if (!used.add(f.address())) {
        throw new HostDescriptionException(where + ": PCI address " + f.address() + " is used twice");
      }
    }
  }

  private static PciAddress address(String text, String at) {
    try {
      return PciAddress.parse(text, "address");
    } catch (InvalidFieldException e) {
      throw new HostDescriptionException(at + ": " + e.getMessage());
    }
  }

  public HostDescription description() {
    return description;
  }

  public String name() {
    return description.name();
  }

  public long pageSize() {
    return description.pageSize().bytes();
  }

  public Path hostDirectory() {
    return hostDirectory;
  }

  /** The directory to hand to discovery as its root: it holds {@code sys/}. */
  public Path sysfsRoot() {
    return hostDirectory.resolve("sysfs");
  }

  public Path backing() {
    return hostDirectory.resolve("backing");
  }

  public List<Function> functions() {
    return List.copyOf(functions);
  }

  public List<Gpu> gpus() {
    return List.copyOf(gpus);
  }

  public List<Bridge> bridges() {
    return List.copyOf(bridges);
  }

  public Optional<Function> function(PciAddress address) {
    return functions.stream().filter(f -> f.address().equals(address)).findFirst();
  }

  public Optional<Gpu> gpu(PciAddress address) {
    return gpus.stream().filter(g -> g.address().equals(address)).findFirst();
  }

  public Optional<Bridge> bridge(PciAddress address) {
    return bridges.stream().filter(b -> b.address().equals(address)).findFirst();
  }
}
