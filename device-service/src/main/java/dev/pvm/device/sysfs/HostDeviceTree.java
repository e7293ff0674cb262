package dev.pvm.device.sysfs;

import dev.pvm.device.HostDiscoveryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The host device tree under {@code <root>/sys/firmware/devicetree/base}, with phandles resolved. Absent on
 * hosts without an OF device tree (x86): then {@link #present()} is false and every lookup is empty.
 */
public final class HostDeviceTree {
  private final Path base;
  private final Map<Integer, DeviceTreeNode> byPhandle = new HashMap<>();

  private HostDeviceTree(Path base) {
    this.base = base;
  }

  public static HostDeviceTree read(Path sysfsRoot) {
    Path base = sysfsRoot.resolve("sys/firmware/devicetree/base");
    if (!Files.isDirectory(base)) {
      return new HostDeviceTree(null);
    }
    try {
      HostDeviceTree tree = new HostDeviceTree(base.toRealPath());
      tree.indexPhandles();
      return tree;
    } catch (IOException e) {
      throw new HostDiscoveryException("cannot read host device tree " + base + ": " + e.getMessage(), e);
    }
  }

  public boolean present() {
    return base != null;
  }

  private void indexPhandles() throws IOException {
    try (Stream<Path> dirs = Files.walk(base)) {
      dirs.filter(Files::isDirectory).forEach(dir -> {
        DeviceTreeNode node = new DeviceTreeNode(dir);
        // Older firmware writes linux,phandle; both carry the same value when both exist.
        Optional<Integer> phandle = node.cell("phandle").or(() -> node.cell("linux,phandle"));
        phandle.ifPresent(p -> {
          DeviceTreeNode previous = byPhandle.put(p, node);
          if (previous != null) {
            throw new HostDiscoveryException(String.format(
                "host device tree: phandle 0x%x is used by both %s and %s", p, previous.directory(), dir));
          }
        });
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  public Optional<DeviceTreeNode> byPhandle(int phandle) {
    return Optional.ofNullable(byPhandle.get(phandle));
  }

  /**
   * The node a PCI device's {@code of_node} link points at.
   *
   * @param deviceDirectory the device's sysfs directory
   */
  public Optional<DeviceTreeNode> nodeOf(Path deviceDirectory) {
    if (base == null) {
      return Optional.empty();
    }
    Path link = deviceDirectory.resolve("of_node");
    if (!Files.exists(link)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new DeviceTreeNode(link.toRealPath()));
    } catch (IOException e) {
      throw new HostDiscoveryException("cannot resolve " + link + ": " + e.getMessage(), e);
    }
  }
}
