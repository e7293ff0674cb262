package dev.pvm.vfio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Decodes a VFIO_DEVICE_GET_REGION_INFO answer byte by byte (layouts of spec 8.3): the 32-byte
 * {@code vfio_region_info} and, when flags has CAPS and cap_offset is not 0, the capability chain whose
 * {@code next} offsets count from the start of the buffer.
 *
 * <p>Untrusted input: offsets outside the answer, headers overlapping the fixed struct, capabilities cut short,
 * and chains that revisit an offset (a loop) are {@link RegionInfoFormatException}s; the walk is bounded by the
 * buffer size, so it always ends.
 */
public final class RegionInfoParser {
  private RegionInfoParser() {}

  /**
   * @param answer the buffer the kernel wrote (its length is the argsz the caller passed)
   */
  public static RegionInfo parse(byte[] answer, ByteOrder order) {
    if (answer.length < Vfio.REGION_INFO_SIZE) {
      throw new RegionInfoFormatException(
          "buffer of " + answer.length + " bytes is shorter than vfio_region_info (32)");
    }
    ByteBuffer b = ByteBuffer.wrap(answer).order(order);
    int argsz = b.getInt(0);
    int flags = b.getInt(4);
    int index = b.getInt(8);
    int capOffset = b.getInt(12);
    long size = b.getLong(16);
    long offset = b.getLong(24);
    if (Integer.compareUnsigned(argsz, Vfio.REGION_INFO_SIZE) < 0) {
      throw new RegionInfoFormatException("argsz " + Integer.toUnsignedString(argsz)
          + " is shorter than vfio_region_info (32)");
    }
    if (Integer.compareUnsigned(argsz, answer.length) > 0) {
      throw new RegionInfoFormatException("argsz " + Integer.toUnsignedString(argsz) + " exceeds the "
          + answer.length + "-byte buffer: the caller must retry with a larger buffer");
    }
    List<RegionCapability> caps = new ArrayList<>();
    if ((flags & Vfio.REGION_INFO_FLAG_CAPS) != 0 && capOffset != 0) {
      walk(b, argsz, capOffset, caps);
    }
    return new RegionInfo(argsz, flags, index, capOffset, size, offset, caps);
  }

  private static void walk(ByteBuffer b, int limit, int first, List<RegionCapability> out) {
    BitSet visited = new BitSet(limit);
    int at = first;
    String from = "cap_offset";
    while (true) {
      if (Integer.compareUnsigned(at, Vfio.REGION_INFO_SIZE) < 0
          || Integer.compareUnsigned(at, limit - Vfio.CAP_HEADER_SIZE) > 0) {
        throw new RegionInfoFormatException(from + " " + Integer.toUnsignedString(at)
            + " is outside the capability area [32, " + limit + ")");
      }
      if (visited.get(at)) {
        throw new RegionInfoFormatException(from + " " + at + " points back at an earlier capability (a loop)");
      }
      visited.set(at);
      int id = Short.toUnsignedInt(b.getShort(at));
      int version = Short.toUnsignedInt(b.getShort(at + 2));
      int next = b.getInt(at + 4);
      out.add(decode(b, limit, at, id, version));
      if (next == 0) {
        return;
      }
      from = "next of capability " + id + " at " + at;
      at = next;
    }
  }

  private static RegionCapability decode(ByteBuffer b, int limit, int at, int id, int version) {
    return switch (id) {
      case Vfio.REGION_INFO_CAP_TYPE -> {
        requireBody(limit, at, id);
        yield new RegionCapability.Type(version, b.getInt(at + 8), b.getInt(at + 12));
      }
      case Vfio.REGION_INFO_CAP_NVLINK2_SSATGT -> {
        requireBody(limit, at, id);
        yield new RegionCapability.Ssatgt(version, b.getLong(at + 8));
      }
      case Vfio.REGION_INFO_CAP_NVLINK2_LNKSPD -> {
        requireBody(limit, at, id);
        yield new RegionCapability.Lnkspd(version, b.getInt(at + 8));
      }
      default -> new RegionCapability.Other(id, version, at);
    };
  }

  private static void requireBody(int limit, int at, int id) {
    if (at + Vfio.REGION_CAP_SIZE > limit) {
      throw new RegionInfoFormatException("capability " + id + " at " + at + " needs 16 bytes but the answer ends at "
          + limit);
    }
  }
}
