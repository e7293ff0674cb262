package dev.pvm.device.sysfs;

import dev.pvm.device.HostDiscoveryException;
import dev.pvm.device.host.DeviceClassifier;
import dev.pvm.device.host.DeviceKind;
import dev.pvm.device.host.HostDevice;
import dev.pvm.device.host.HostInventory;
import dev.pvm.device.host.NvLink2Details;
import dev.pvm.device.host.PciAddress;
import dev.pvm.device.nvlink.NvLink2DeviceTreeReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists every PCI function under {@code <root>/sys/bus/pci/devices} with its identity, header type, NUMA node,
 * driver and IOMMU group, and its NVLink2 facts from the host device tree where there is one. The root is "/"
 * on a real host and the simulated tree's directory otherwise: the same code reads both.
 */
public final class SysfsDiscovery {
  /** Offset of the header-type byte in PCI config space. */
  private static final int CONFIG_HEADER_TYPE = 0x0e;
  private static final int HEADER_TYPE_MULTIFUNCTION = 0x80;

  private final Path root;
  private final long hostPageSize;

  /**
   * @param root directory holding {@code sys/} ("/" on a real host)
   * @param hostPageSize the host page size, which is the ATSD region size (one page) the kernel registers
   */
  public SysfsDiscovery(Path root, long hostPageSize) {
    this.root = root;
    this.hostPageSize = hostPageSize;
  }

  public HostInventory discover(String source) {
    Path devices = root.resolve("sys/bus/pci/devices");
    IommuGroupTable groups = IommuGroupTable.read(root);
    HostDeviceTree tree = HostDeviceTree.read(root);
    NvLink2DeviceTreeReader nvlink = new NvLink2DeviceTreeReader(tree, hostPageSize);
    List<HostDevice> found = new ArrayList<>();
    if (Files.isDirectory(devices)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(devices)) {
        for (Path entry : entries) {
          found.add(readDevice(entry, groups, tree, nvlink));
        }
      } catch (IOException e) {
        throw new HostDiscoveryException("cannot list " + devices + ": " + e.getMessage(), e);
      }
    }
    return HostInventory.of(source, found);
  }

  private HostDevice readDevice(
      Path entry, IommuGroupTable groups, HostDeviceTree tree, NvLink2DeviceTreeReader nvlink) {
    PciAddress address = PciAddress.parse(entry.getFileName().toString(), entry.toString());
    Path dir;
    try {
      dir = entry.toRealPath();
    } catch (IOException e) {
      throw new HostDiscoveryException("cannot resolve " + entry + ": " + e.getMessage(), e);
    }
    int vendor = hexAttribute(dir, "vendor");
    int device = hexAttribute(dir, "device");
    int classCode = hexAttribute(dir, "class");
    int revision = Files.exists(dir.resolve("revision")) ? hexAttribute(dir, "revision") : configByte(dir, 0x08);
    int headerByte = configByte(dir, CONFIG_HEADER_TYPE);
    int numaNode = Files.exists(dir.resolve("numa_node")) ? Integer.parseInt(text(dir, "numa_node")) : -1;
    String driver = linkName(dir.resolve("driver")).orElse("");
    int group = groups.groupOf(address)
        .or(() -> linkName(dir.resolve("iommu_group")).map(Integer::parseInt))
        .orElse(-1);
    Optional<NvLink2Details> details = tree.nodeOf(dir).flatMap(node -> nvlink.read(vendor, node));
    int headerType = headerByte & ~HEADER_TYPE_MULTIFUNCTION;
    DeviceKind kind = DeviceClassifier.classify(vendor, device, classCode, headerType, details.isPresent());
    return new HostDevice(
        address, vendor, device, classCode, revision, headerType,
        (headerByte & HEADER_TYPE_MULTIFUNCTION) != 0, numaNode, driver, group, kind, details);
  }

  private static int hexAttribute(Path dir, String name) {
    String value = text(dir, name);
    try {
      return Integer.decode(value);
    } catch (NumberFormatException e) {
      throw new HostDiscoveryException(dir.resolve(name) + " holds \"" + value + "\", not a hex number");
    }
  }

  private static String text(Path dir, String name) {
    try {
      return Files.readString(dir.resolve(name)).trim();
    } catch (IOException e) {
      throw new HostDiscoveryException("cannot read " + dir.resolve(name) + ": " + e.getMessage(), e);
    }
  }

  /** One byte of config space; unprivileged readers get the first 64 bytes, which covers the header. */
  private static int configByte(Path dir, int offset) {
    Path config = dir.resolve("config");
    try (InputStream in = Files.newInputStream(config)) {
      byte[] head = in.readNBytes(offset + 1);
      if (head.length <= offset) {
        throw new HostDiscoveryException(config + " is shorter than " + (offset + 1) + " bytes");
      }
      return head[offset] & 0xff;
    } catch (NoSuchFileException e) {
      throw new HostDiscoveryException(config + " does not exist", e);
    } catch (IOException e) {
      throw new HostDiscoveryException("cannot read " + config + ": " + e.getMessage(), e);
    }
  }

  private static Optional<String> linkName(Path link) {
    if (!Files.isSymbolicLink(link)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
    } catch (IOException e) {
      throw new HostDiscoveryException("cannot read link " + link + ": " + e.getMessage(), e);
    }
  }
}
