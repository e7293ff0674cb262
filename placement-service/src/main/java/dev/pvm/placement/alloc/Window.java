package dev.pvm.placement.alloc;

/**
 * A range of guest-physical (or PCI bus) addresses. Size 0 means the window is absent.
 *
 * @param base first address
 * @param size length in bytes
 */
public record Window(long base, long size) {

  /** The absent window. */
  public static final Window NONE = new Window(0, 0);

  public Window {
    if (size < 0 || base < 0) {
      throw new IllegalArgumentException("window base and size must be below 2^63: " + base + "+" + size);
    }
    if (size > 0 && base + size < base) {
      throw new IllegalArgumentException("window wraps around: " + base + "+" + size);
    }
  }

  /** Whether the window exists. */
  public boolean present() {
    return size != 0;
  }

  /** First address after the window. */
  public long end() {
    return base + size;
  }

  /** Whether the two windows share an address (absent windows share none). */
  public boolean overlaps(Window other) {
    return present() && other.present() && base < other.end() && other.base < end();
  }

  /** Whether {@code inner} lies entirely inside this window. */
  public boolean contains(Window inner) {
    return inner.base >= base && inner.end() <= end();
  }

  @Override
  public String toString() {
    return present() ? String.format("[0x%x, 0x%x)", base, end()) : "[absent]";
  }
}
