package dev.pvm.device.sysfs;

import dev.pvm.device.HostDiscoveryException;
import dev.pvm.device.host.PciAddress;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Group membership as {@code /sys/kernel/iommu_groups/<n>/devices/<address>} lists it. */
public final class IommuGroupTable {
  private final Map<PciAddress, Integer> groupByAddress;

  private IommuGroupTable(Map<PciAddress, Integer> groupByAddress) {
    this.groupByAddress = groupByAddress;
  }

  public static IommuGroupTable read(Path sysfsRoot) {
    Path groups = sysfsRoot.resolve("sys/kernel/iommu_groups");
    Map<PciAddress, Integer> map = new HashMap<>();
    if (!Files.isDirectory(groups)) {
      return new IommuGroupTable(map);
    }
    try (DirectoryStream<Path> groupDirs = Files.newDirectoryStream(groups)) {
      for (Path groupDir : groupDirs) {
        int group;
        try {
          group = Integer.parseInt(groupDir.getFileName().toString());
        } catch (NumberFormatException e) {
          continue; // not a group directory
        }
        Path devices = groupDir.resolve("devices");
        if (!Files.isDirectory(devices)) {
          continue;
        }
        try (DirectoryStream<Path> members = Files.newDirectoryStream(devices)) {
          for (Path member : members) {
            String name = member.getFileName().toString();
            // Groups may also hold non-PCI devices (platform, ACPI); only PCI functions matter here.
            if (name.matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]")) {
              map.put(PciAddress.parse(name, "iommu_groups"), group);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new HostDiscoveryException("cannot list " + groups + ": " + e.getMessage(), e);
    }
    return new IommuGroupTable(map);
  }

  public Optional<Integer> groupOf(PciAddress address) {
    return Optional.ofNullable(groupByAddress.get(address));
  }
}
