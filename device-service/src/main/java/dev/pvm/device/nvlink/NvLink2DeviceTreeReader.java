package dev.pvm.device.nvlink;

import static dev.pvm.device.nvlink.NvLink2DeviceTree.*;

import dev.pvm.device.host.DeviceClassifier;
import dev.pvm.device.host.NvLink2Details;
import dev.pvm.device.sysfs.DeviceTreeNode;
import dev.pvm.device.sysfs.HostDeviceTree;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives a GPU's or bridge's NVLink2 facts from the host device tree the same way Linux's vfio-pci NVLink2
 * support does (spec 9.2, 9.3), so discovery can report them without opening VFIO. A node that lacks what
 * the kernel requires yields no NVLink2 (the kernel would answer -ENODEV/-EINVAL and register no region).
 */
public final class NvLink2DeviceTreeReader {
  private static final Logger log = LoggerFactory.getLogger(NvLink2DeviceTreeReader.class);

  private final HostDeviceTree tree;
  private final long hostPageSize;

  public NvLink2DeviceTreeReader(HostDeviceTree tree, long hostPageSize) {
    this.tree = tree;
    this.hostPageSize = hostPageSize;
  }

  public Optional<NvLink2Details> read(int vendorId, DeviceTreeNode node) {
    if (vendorId == DeviceClassifier.VENDOR_NVIDIA) {
      return gpu(node);
    }
    if (vendorId == DeviceClassifier.VENDOR_IBM) {
      return bridge(node);
    }
    return Optional.empty();
  }

  /** vfio_pci_nvdia_v100_nvlink2_init: first ibm,npu bridge -> memory-region -> reg {base, size}; tgt. */
  private Optional<NvLink2Details> gpu(DeviceTreeNode gpu) {
    int[] npus = gpu.cells(IBM_NPU);
    if (npus.length == 0) {
      return Optional.empty();
    }
    Optional<DeviceTreeNode> bridge = tree.byPhandle(npus[0]);
    if (bridge.isEmpty()) {
      return skip(gpu, "ibm,npu[0] phandle 0x%x resolves to no node", npus[0]);
    }
    Optional<Integer> region = bridge.get().cell(MEMORY_REGION);
    if (region.isEmpty()) {
      return skip(gpu, "its first bridge %s has no memory-region", bridge.get().directory());
    }
    Optional<DeviceTreeNode> memory = tree.byPhandle(region.get());
    if (memory.isEmpty()) {
      return skip(gpu, "memory-region phandle 0x%x resolves to no node", region.get());
    }
    long[] reg = memory.get().u64s("reg");
    if (reg.length != 2) {
      return skip(gpu, "memory node %s reg is not exactly {base, size}", memory.get().directory());
    }
    Optional<Long> tgt = bridge.get().u64(IBM_DEVICE_TGT_ADDR);
    if (tgt.isEmpty()) {
      return skip(gpu, "No ibm,device-tgt-addr found on %s", bridge.get().directory());
    }
    return Optional.of(new NvLink2Details(tgt.get(), reg[1], 0, 0, 0, "", 0));
  }

  /** vfio_pci_ibm_npu2_init: ibm,gpu must resolve; link index; ATSD from the PHB's ibm,mmio-atsd; tgt; speed. */
  private Optional<NvLink2Details> bridge(DeviceTreeNode bridge) {
    Optional<Integer> gpu = bridge.cell(IBM_GPU);
    if (gpu.isEmpty() || tree.byPhandle(gpu.get()).isEmpty()) {
      return Optional.empty(); // not an NVLink bridge with a GPU: the kernel answers -ENODEV
    }
    Optional<DeviceTreeNode> link = bridge.cell(IBM_NVLINK).flatMap(tree::byPhandle);
    Optional<Integer> linkIndex = link.flatMap(l -> l.cell(IBM_NPU_LINK_INDEX));
    if (linkIndex.isEmpty()) {
      return skip(bridge, "no ibm,nvlink link node with ibm,npu-link-index");
    }
    long[] atsd = bridge.parent().u64s(IBM_MMIO_ATSD);
    int index = linkIndex.get();
    boolean hasAtsd = index >= 0 && index < atsd.length && atsd[index] != 0;
    Optional<Long> tgt = bridge.u64(IBM_DEVICE_TGT_ADDR);
    if (tgt.isEmpty()) {
      return skip(bridge, "No ibm,device-tgt-addr found");
    }
    Optional<Integer> speed = bridge.cell(IBM_NVLINK_SPEED);
    if (speed.isEmpty()) {
      return skip(bridge, "No ibm,nvlink-speed found");
    }
    return Optional.of(
        new NvLink2Details(tgt.get(), 0, hasAtsd ? hostPageSize : 0, speed.get(), index, "", 0));
  }

  private Optional<NvLink2Details> skip(DeviceTreeNode node, String format, Object... args) {
    log.warn("no NVLink2 for {}: {}", node.directory(), String.format(format, args));
    return Optional.empty();
  }
}
