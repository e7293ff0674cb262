package dev.pvm.vfio;

/**
 * A VFIO_DEVICE_GET_REGION_INFO answer that violates the UAPI layout: a capability chain that loops,
 * points outside the buffer or overlaps the fixed struct, or an argsz too short for what it claims.
 */
public final class RegionInfoFormatException extends VfioException {
  public RegionInfoFormatException(String message) {
    super("malformed VFIO region info: " + message);
  }
}
