package dev.pvm.device.sysfs;

import dev.pvm.device.HostDiscoveryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One node of the host device tree as Linux exports it under /sys/firmware/devicetree/base: a directory whose
 * files are properties holding the raw big-endian FDT bytes (cells are 32-bit, u64 values two cells).
 */
public record DeviceTreeNode(Path directory) {

  public String name() {
    return directory.getFileName().toString();
  }

  public Optional<byte[]> property(String name) {
    Path file = directory.resolve(name);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new HostDiscoveryException("cannot read device-tree property " + file + ": " + e.getMessage(), e);
    }
  }

  /** A property of exactly one cell. */
  public Optional<Integer> cell(String name) {
    return property(name).map(bytes -> {
      requireLength(name, bytes, 4);
      return ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).getInt();
    });
  }

  /** A property of exactly one u64 (two cells, high first). */
  public Optional<Long> u64(String name) {
    return property(name).map(bytes -> {
      requireLength(name, bytes, 8);
      return ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).getLong();
    });
  }

  /** A property read as an array of cells; empty array when absent. */
  public int[] cells(String name) {
    byte[] bytes = property(name).orElse(new byte[0]);
    if (bytes.length % 4 != 0) {
      throw malformed(name, bytes.length, "a multiple of 4");
    }
    int[] out = new int[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).asIntBuffer().get(out);
    return out;
  }

  /** A property read as an array of u64; empty array when absent. */
  public long[] u64s(String name) {
    byte[] bytes = property(name).orElse(new byte[0]);
    if (bytes.length % 8 != 0) {
      throw malformed(name, bytes.length, "a multiple of 8");
    }
    long[] out = new long[bytes.length / 8];
    ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).asLongBuffer().get(out);
    return out;
  }

  public DeviceTreeNode parent() {
    return new DeviceTreeNode(directory.getParent());
  }

  private void requireLength(String name, byte[] bytes, int expected) {
    if (bytes.length != expected) {
      throw malformed(name, bytes.length, Integer.toString(expected));
    }
  }

  private HostDiscoveryException malformed(String name, int length, String expected) {
    return new HostDiscoveryException(
        "device-tree property " + directory.resolve(name) + " has " + length + " bytes, expected " + expected);
  }
}
