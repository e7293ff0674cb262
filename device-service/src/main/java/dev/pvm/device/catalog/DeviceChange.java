package dev.pvm.device.catalog;

/** One event of the device watch stream. */
public record DeviceChange(Kind kind, DeviceView view) {
  public enum Kind {
    /** Part of the snapshot a new watcher receives first. */
    EXISTING,
    RESERVED,
    RELEASED
  }
}
