package dev.pvm.device.simulated;

import java.util.List;

/**
 * A declarative simulated host (YAML, kebab-case keys; see src/main/resources/hosts/*.yaml). From it
 * {@link SimulatedHostLayout} derives every PCI function, IOMMU group, device-tree node and VFIO region.
 *
 * @param name the description's name, also the directory name of its files
 * @param summary one line for humans
 * @param model the root node's model property (e.g. "IBM,8335-GTH")
 * @param pageSize host page size; the size of each ATSD region (POWER9 Linux: 64 KiB)
 * @param npus the NVLink2 processing units, one per POWER9 chip with GPUs
 * @param gpus the NVLink2 GPUs
 * @param devices other PCI functions
 */
public record HostDescription(
    String name,
    String summary,
    String model,
    ByteSize pageSize,
    List<Npu> npus,
    List<Gpu> gpus,
    List<OtherDevice> devices) {

  public HostDescription {
    required(name, "name");
    npus = npus == null ? List.of() : List.copyOf(npus);
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
    devices = devices == null ? List.of() : List.copyOf(devices);
    model = model == null ? "" : model;
    summary = summary == null ? "" : summary;
    pageSize = pageSize == null ? new ByteSize(65536) : pageSize;
  }

  /**
   * One NPU: its emulated PHB carries one bridge function per GPU link.
   *
   * @param chipId POWER9 chip id (ibm,chip-id)
   * @param domain PCI domain of the NPU PHB; bridges are DDDD:00:&lt;gpu&gt;.&lt;link&gt;
   * @param numaNode host NUMA node of the chip
   * @param atsdBase address of ATSD register 0; register i is at atsdBase + i * pageSize
   * @param atsdRegisters how many ATSD registers the NPU PHB lists in ibm,mmio-atsd (firmware: 8); a link whose
   *     index is not below this count gets no ATSD (a zero-size VFIO region)
   */
  public record Npu(Integer chipId, Integer domain, Integer numaNode, Long atsdBase, Integer atsdRegisters) {
    public Npu {
      required(chipId, "chip-id");
      required(domain, "domain");
      required(numaNode, "numa-node");
      required(atsdBase, "atsd-base");
    }

    public int atsdRegisterCount() {
      return atsdRegisters == null ? 8 : atsdRegisters;
    }
  }

  /**
   * One V100 and its links.
   *
   * @param address the GPU's host PCI address; its PHB's root port is DDDD:00:00.0, so the bus must not be 0
   * @param deviceId NVIDIA device id (0x1db1 SXM2 16 GB, 0x1db5 SXM2 32 GB)
   * @param npu index into {@link HostDescription#npus}
   * @param links hardware link indexes on that NPU (ibm,npu-link-index, 0..5), one bridge each, in order
   * @param ramBase host physical base of the GPU RAM (the memory@ node); tgt is derived from it
   * @param ramSize size of the GPU RAM region
   * @param linkSpeed ibm,nvlink-speed of each link
   * @param numaNode host NUMA node of the GPU's PHB
   */
  public record Gpu(
      String address, Integer deviceId, Integer npu, List<Integer> links, Long ramBase, ByteSize ramSize,
      Integer linkSpeed, Integer numaNode) {
    public Gpu {
      required(address, "address");
      required(deviceId, "device-id");
      required(npu, "npu");
      required(ramBase, "ram-base");
      required(ramSize, "ram-size");
      required(linkSpeed, "link-speed");
      required(numaNode, "numa-node");
      links = links == null ? List.of() : List.copyOf(links);
    }
  }

  /**
   * Any other PCI function.
   *
   * @param classCode 24-bit class code
   * @param headerType config header type byte, multifunction bit included
   * @param driver bound driver, empty for none
   * @param iommuGroup explicit IOMMU group (to put several functions in one group); null to get a group of its own
   */
  public record OtherDevice(
      String address, Integer vendorId, Integer deviceId, Integer classCode, Integer revision,
      Integer headerType, String driver, Integer numaNode, Integer iommuGroup) {
    public OtherDevice {
      required(address, "address");
      required(vendorId, "vendor-id");
      required(deviceId, "device-id");
      required(classCode, "class-code");
      revision = revision == null ? 0 : revision;
      headerType = headerType == null ? 0 : headerType;
    }
  }

  private static void required(Object value, String key) {
    if (value == null) {
      throw new IllegalArgumentException("\"" + key + "\" is required");
    }
  }
}
