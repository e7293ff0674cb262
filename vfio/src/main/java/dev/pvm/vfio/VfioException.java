package dev.pvm.vfio;

/**
 * Root of every failure of the VFIO userspace layer: the kernel refused a call ({@link VfioIoctlException}),
 * VFIO cannot be used here ({@link VfioUnavailableException}), or a region-info answer broke the UAPI layout
 * ({@link RegionInfoFormatException}). Sealed so that callers map each kind explicitly.
 */
public abstract sealed class VfioException extends RuntimeException
    permits VfioIoctlException, VfioUnavailableException, RegionInfoFormatException {

  protected VfioException(String message) {
    super(message);
  }

  protected VfioException(String message, Throwable cause) {
    super(message, cause);
  }
}
