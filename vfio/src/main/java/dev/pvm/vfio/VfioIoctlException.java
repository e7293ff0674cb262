package dev.pvm.vfio;

/** A VFIO system call (open, ioctl, mmap) that the kernel refused, with its errno. */
public final class VfioIoctlException extends VfioException {
  private final String call;
  private final int errno;

  public VfioIoctlException(String call, int errno, String detail) {
    super(call + " failed: errno " + errno + (detail.isEmpty() ? "" : " (" + detail + ")"));
    this.call = call;
    this.errno = errno;
  }

  public String call() {
    return call;
  }

  public int errno() {
    return errno;
  }
}
