package dev.pvm.placement;

/** A field's value is invalid on its own or against the rest of the request. */
public final class InvalidFieldException extends LayoutInputException {
  public InvalidFieldException(String field, String message) {
    super(field, message);
  }
}
