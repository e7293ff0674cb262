package dev.pvm.device.host;

import dev.pvm.device.InvalidFieldException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A PCI function address "DDDD:BB:DD.F" as Linux names it in sysfs (domain, bus, device, function). */
public record PciAddress(int domain, int bus, int device, int function) implements Comparable<PciAddress> {
  private static final Pattern FORMAT =
      Pattern.compile("([0-9a-fA-F]{4}):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");

  public PciAddress {
    if (domain < 0 || domain > 0xffff || bus < 0 || bus > 0xff || device < 0 || device > 0x1f
        || function < 0 || function > 7) {
      throw new IllegalArgumentException(
          "PCI address out of range: domain " + domain + " bus " + bus + " device " + device
              + " function " + function);
    }
  }

  /**
   * Parses "DDDD:BB:DD.F" (hex; upper case accepted, printed lower case).
   *
   * @param field the request field the text came from, for the error
   */
  public static PciAddress parse(String text, String field) {
    Matcher m = FORMAT.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new InvalidFieldException(
          field, "\"" + text + "\" is not a PCI address of the form DDDD:BB:DD.F (hex, e.g. 0004:01:00.0)");
    }
    int device = Integer.parseInt(m.group(3), 16);
    if (device > 0x1f) {
      throw new InvalidFieldException(field, "\"" + text + "\": PCI device number must be at most 1f");
    }
    return new PciAddress(
        Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16), device,
        Integer.parseInt(m.group(4)));
  }

  /** devfn as PCI config cycles and the device tree encode it: device << 3 | function. */
  public int devfn() {
    return device << 3 | function;
  }

  @Override
  public int compareTo(PciAddress o) {
    return Long.compare(ordinal(), o.ordinal());
  }

  private long ordinal() {
    return (long) domain << 16 | bus << 8 | devfn();
  }

  @Override
  public String toString() {
    return String.format("%04x:%02x:%02x.%x", domain, bus, device, function);
  }
}
