package dev.pvm.placement;

import java.util.Objects;

/**
 * The root of every error placement-service reports about its input: each names the offending field by its path
 * in the request as the caller wrote it (JSON names of the VmSpec, e.g. {@code phbs[1].index}).
 */
public abstract sealed class LayoutInputException extends RuntimeException
    permits InvalidFieldException, UnknownMachineTypeException, Nvlink2TopologyException {

  private final String field;

  protected LayoutInputException(String field, String message) {
    super(message);
    this.field = Objects.requireNonNull(field, "field");
  }

  /** Path of the offending field, e.g. {@code numa[0].cpus}. */
  public String field() {
    return field;
  }
}
