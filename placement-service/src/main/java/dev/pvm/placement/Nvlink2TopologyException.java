package dev.pvm.placement;

/**
 * The NVLink2 devices of a vPHB cannot be laid out (spec 4.3 walk errors and spec 12 corrections). The message is
 * QEMU's text where QEMU has one (e.g. {@code Found too many GPUs per vPHB}).
 */
public final class Nvlink2TopologyException extends LayoutInputException {
  public Nvlink2TopologyException(String field, String message) {
    super(field, message);
  }
}
