package dev.pvm.device.simulated;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size in bytes written in a host description as a number or with a binary unit ("16GiB", "64KiB"). */
public record ByteSize(long bytes) {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB)?");

  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("size must not be negative: " + bytes);
    }
  }

  @JsonCreator
  public static ByteSize of(Object value) {
    if (value instanceof Number n) {
      return new ByteSize(n.longValue());
    }
    String text = String.valueOf(value).trim();
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a size: write a byte count or a number with B, KiB, MiB, GiB or TiB");
    }
    int shift = switch (m.group(2) == null ? "B" : m.group(2)) {
      case "KiB" -> 10;
      case "MiB" -> 20;
      case "GiB" -> 30;
      case "TiB" -> 40;
      default -> 0;
    };
    return new ByteSize(Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift));
  }

  @JsonValue
  public long bytes() {
    return bytes;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d bytes", bytes);
  }
}
