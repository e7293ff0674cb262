package dev.pvm.device.simulated;

import static dev.pvm.device.nvlink.NvLink2DeviceTree.*;

import dev.pvm.device.HostDescriptionException;
import dev.pvm.device.host.PciAddress;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a {@link SimulatedHostLayout} to disk in the shapes Linux uses, so that {@code SysfsDiscovery} reads it
 * with the same code as a real host:
 *
 * <ul>
 *   <li>{@code sysfs/sys/devices/pciDDDD:00/<address>/...} with vendor, device, class, revision, numa_node, a
 *       256-byte config space, and driver, iommu_group and of_node links (GPUs nest under their root port);
 *   <li>{@code sysfs/sys/bus/pci/devices/<address>} and {@code sysfs/sys/kernel/iommu_groups/<n>/devices/<address>}
 *       links;
 *   <li>{@code sysfs/sys/firmware/devicetree/base}: skiboot's NVLink2 nodes (GPU PHBs, NPU PHB with
 *       ibm,mmio-atsd and bridge nodes, xscom npu link nodes, GPU RAM memory@ nodes), properties as raw
 *       big-endian bytes;
 *   <li>{@code backing/<address>.gpu-ram} (sparse, GPU RAM size) and {@code backing/<address>.atsd} (one page),
 *       created if absent and kept across restarts so a running engine's mappings stay valid.
 * </ul>
 *
 * The sysfs tree is deleted and rewritten on every call.
 */
public final class SimulatedHostWriter {
  private static final int PHANDLE_BASE = 0x1000;

  private final SimulatedHostLayout layout;
  private final Path sys;
  private final Path dt;
  private final Map<PciAddress, Integer> phandles = new HashMap<>();
  /** Device-tree node of each PCI function that has one, for its of_node link. */
  private final Map<PciAddress, Path> ofNodes = new HashMap<>();
  private int nextPhandle = PHANDLE_BASE;

  private static final Set<PosixFilePermission> BACKING_FILE_PERMISSIONS =
      PosixFilePermissions.fromString("rw-rw----");

  private SimulatedHostWriter(SimulatedHostLayout layout) {
    this.layout = layout;
    this.sys = layout.sysfsRoot().resolve("sys");
    this.dt = sys.resolve("firmware/devicetree/base");
  }

  public static void write(SimulatedHostLayout layout) {
    try {
      new SimulatedHostWriter(layout).writeAll();
    } catch (IOException | UncheckedIOException e) {
      throw new HostDescriptionException(
          "cannot write simulated host " + layout.name() + " under " + layout.hostDirectory() + ": " + e, e);
    }
  }

  private void writeAll() throws IOException {
    deleteTree(layout.sysfsRoot());
    Files.createDirectories(sys.resolve("bus/pci/devices"));
    Files.createDirectories(sys.resolve("kernel/iommu_groups"));
    Files.createDirectories(layout.backing());
    writeDeviceTree();
    for (SimulatedHostLayout.Function f : layout.functions()) {
      writeFunction(f);
    }
    for (SimulatedHostLayout.Gpu gpu : layout.gpus()) {
      sparseFile(gpu.backingFile(), gpu.ramSize());
    }
    for (SimulatedHostLayout.Bridge bridge : layout.bridges()) {
      if (bridge.atsdSize() > 0) {
        sparseFile(bridge.backingFile(), bridge.atsdSize());
      }
    }
  }

  private void writeFunction(SimulatedHostLayout.Function f) throws IOException {
    Path dir = deviceDirectory(f);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("vendor"), String.format("0x%04x%n", f.vendorId()));
    Files.writeString(dir.resolve("device"), String.format("0x%04x%n", f.deviceId()));
    Files.writeString(dir.resolve("class"), String.format("0x%06x%n", f.classCode()));
    Files.writeString(dir.resolve("revision"), String.format("0x%02x%n", f.revision()));
    Files.writeString(dir.resolve("numa_node"), f.numaNode() + "\n");
    Files.write(dir.resolve("config"), configSpace(f));
    if (!f.driver().isEmpty()) {
      Path driver = Files.createDirectories(sys.resolve("bus/pci/drivers").resolve(f.driver()));
      link(dir.resolve("driver"), driver);
    }
    if (f.iommuGroup() >= 0) {
      Path group = Files.createDirectories(sys.resolve("kernel/iommu_groups/" + f.iommuGroup() + "/devices"));
      link(group.resolve(f.address().toString()), dir);
      link(dir.resolve("iommu_group"), group.getParent());
    }
    Path node = ofNodes.get(f.address());
    if (node != null) {
      link(dir.resolve("of_node"), node);
    }
    link(sys.resolve("bus/pci/devices").resolve(f.address().toString()), dir);
  }

  private Path deviceDirectory(SimulatedHostLayout.Function f) {
    Path bus = sys.resolve(String.format("devices/pci%04x:%02x", f.address().domain(), 0));
    if (f.parent().isPresent()) {
      return bus.resolve(f.parent().get().toString()).resolve(f.address().toString());
    }
    return bus.resolve(f.address().toString());
  }

  /** The first 64 bytes of a type-0/type-1 config header (little-endian, as PCI defines it), zero-padded to 256. */
  static byte[] configSpace(SimulatedHostLayout.Function f) {
    ByteBuffer c = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    c.putShort(0x00, (short) f.vendorId());
    c.putShort(0x02, (short) f.deviceId());
    c.put(0x08, (byte) f.revision());
    c.put(0x09, (byte) f.classCode());
    c.put(0x0a, (byte) (f.classCode() >>> 8));
    c.put(0x0b, (byte) (f.classCode() >>> 16));
    c.put(0x0e, (byte) f.headerByte());
    if ((f.headerByte() & 0x7f) == 1) {
      c.put(0x18, (byte) f.address().bus()); // primary bus
      c.put(0x19, (byte) (f.address().bus() + 1)); // secondary bus
      c.put(0x1a, (byte) (f.address().bus() + 1)); // subordinate bus
    }
    return c.array();
  }

  private void writeDeviceTree() throws IOException {
    Files.createDirectories(dt);
    cells(dt, "#address-cells", 2);
    cells(dt, "#size-cells", 2);
    string(dt, "compatible", "ibm,powernv");
    string(dt, "model", layout.description().model());

    for (SimulatedHostLayout.Gpu gpu : layout.gpus()) {
      phandles.put(gpu.address(), nextPhandle++);
      for (PciAddress b : gpu.bridges()) {
        phandles.put(b, nextPhandle++);
      }
    }
    // xscom npu link nodes, one per bridge, referenced by the bridge's ibm,nvlink.
    Map<PciAddress, Integer> linkPhandles = new HashMap<>();
    for (SimulatedHostLayout.Bridge b : layout.bridges()) {
      HostDescription.Npu npu = layout.description().npus().get(b.npu());
      Path link = dt.resolve(String.format("xscom@%x/npu@5011000/link@%d",
          0x603fc00000000L | (long) npu.chipId() << 42, b.linkIndex()));
      Files.createDirectories(link);
      string(link.getParent(), "compatible", "ibm,power9-npu");
      cells(link.getParent(), "ibm,npu-index", b.npu());
      string(link, "compatible", "ibm,npu-link");
      cells(link, IBM_NPU_LINK_INDEX, b.linkIndex());
      int ph = nextPhandle++;
      cells(link, "phandle", ph);
      linkPhandles.put(b.address(), ph);
    }
    // GPU RAM memory@ nodes (skiboot npu2_create_memory_dn): associativity ids count down from 255.
    Map<PciAddress, Integer> memoryPhandles = new HashMap<>();
    int associativity = 255;
    for (SimulatedHostLayout.Gpu gpu : layout.gpus()) {
      Path mem = Files.createDirectories(dt.resolve(String.format("memory@%x", gpu.ramBase())));
      string(mem, "device_type", "memory");
      string(mem, "compatible", "ibm,coherent-device-memory");
      u64s(mem, "reg", gpu.ramBase(), gpu.ramSize());
      u64s(mem, "linux,usable-memory", gpu.ramBase(), 0);
      cells(mem, "ibm,chip-id", gpu.chipId());
      cells(mem, "ibm,associativity", 4, associativity, associativity, associativity, associativity);
      associativity--;
      int ph = nextPhandle++;
      cells(mem, "phandle", ph);
      memoryPhandles.put(gpu.address(), ph);
    }
    // GPU PHBs: pciex@ -> root port pci@0 -> GPU.
    for (SimulatedHostLayout.Gpu gpu : layout.gpus()) {
      Path phb = dt.resolve(String.format("pciex@%x", 0x600c300000000L | (long) gpu.address().domain() << 24));
      Path port = phb.resolve("pci@0");
      Path node = Files.createDirectories(port.resolve("3d@0"));
      string(phb, "compatible", "ibm,power9-pciex");
      cells(phb, "ibm,opal-phbid", 0, gpu.address().domain());
      cells(port, "reg", pciReg(gpu.rootPort()), 0, 0, 0, 0);
      cells(node, "reg", pciReg(gpu.address()), 0, 0, 0, 0);
      cells(node, IBM_NPU, gpu.bridges().stream().mapToInt(phandles::get).toArray());
      cells(node, "phandle", phandles.get(gpu.address()));
      ofNodes.put(gpu.rootPort(), port);
      ofNodes.put(gpu.address(), node);
    }
    // NPU PHBs with their bridges.
    for (int n = 0; n < layout.description().npus().size(); n++) {
      HostDescription.Npu npu = layout.description().npus().get(n);
      Path phb = Files.createDirectories(
          dt.resolve(String.format("pciex@%x", 0x6030200000000L | (long) npu.domain() << 24)));
      string(phb, "compatible", "ibm,power9-npu-pciex");
      cells(phb, "ibm,opal-phbid", 0, npu.domain());
      cells(phb, "ibm,opal-num-pes", 16);
      cells(phb, "ibm,opal-reserved-pe", 15);
      long[] atsd = new long[npu.atsdRegisterCount()];
      for (int i = 0; i < atsd.length; i++) {
        atsd[i] = npu.atsdBase() + i * layout.pageSize();
      }
      if (atsd.length > 0) {
        u64s(phb, IBM_MMIO_ATSD, atsd);
      }
      for (SimulatedHostLayout.Bridge b : layout.bridges()) {
        if (b.npu() != n) {
          continue;
        }
        Path node = Files.createDirectories(
            phb.resolve(String.format("pci@%x,%x", b.address().device(), b.address().function())));
        cells(node, "reg", pciReg(b.address()), 0, 0, 0, 0);
        cells(node, "phandle", phandles.get(b.address()));
        cells(node, IBM_GPU, phandles.get(b.gpu()));
        cells(node, IBM_NVLINK, linkPhandles.get(b.address()));
        cells(node, MEMORY_REGION, memoryPhandles.get(b.gpu()));
        u64s(node, IBM_DEVICE_TGT_ADDR, b.tgt());
        // skiboot omits ibm,nvlink-speed when hostboot reported 0xff (unknown).
        if (b.linkSpeed() != 0xff) {
          cells(node, IBM_NVLINK_SPEED, b.linkSpeed());
        }
        ofNodes.put(b.address(), node);
      }
    }
  }

  /** phys.hi cell of an OF PCI reg entry: bus << 16 | device << 11 | function << 8 (config space). */
  private static int pciReg(PciAddress a) {
    return a.bus() << 16 | a.device() << 11 | a.function() << 8;
  }

  private static void cells(Path node, String name, int... values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.BIG_ENDIAN);
    for (int v : values) {
      b.putInt(v);
    }
    Files.write(node.resolve(name), b.array());
  }

  private static void u64s(Path node, String name, long... values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.BIG_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    Files.write(node.resolve(name), b.array());
  }

  /** FDT strings are NUL-terminated. */
  private static void string(Path node, String name, String value) throws IOException {
    Files.write(node.resolve(name), (value + "\0").getBytes(StandardCharsets.US_ASCII));
  }

  /** Relative links, as sysfs uses, so the tree stays valid wherever the directory is. */
  private static void link(Path link, Path target) throws IOException {
    Files.createSymbolicLink(link, link.getParent().relativize(target));
  }

  private static void sparseFile(Path file, long size) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      if (raf.length() != size) {
        raf.setLength(size); // extends with a hole: no disk blocks until written
      }
    }
    // Engines map these read-write, and in containers they run as another user than device-service (65532 vs.
    // root, deploy/README.md "File ownership"): the file's group (the service's group) may write too.
    Files.setPosixFilePermissions(file, BACKING_FILE_PERMISSIONS);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

}
