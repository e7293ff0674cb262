package dev.pvm.placement;

import java.util.List;

/** The machine type names no version this service knows. */
public final class UnknownMachineTypeException extends LayoutInputException {
  private final List<String> knownNames;

  public UnknownMachineTypeException(String field, String name, List<String> knownNames) {
    super(field, "unknown machine type \"" + name + "\"; known types: " + String.join(", ", knownNames));
    this.knownNames = List.copyOf(knownNames);
  }

  /** Every name that would have been accepted. */
  public List<String> knownNames() {
    return knownNames;
  }
}
