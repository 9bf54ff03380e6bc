package dev.snapserve.spec;

/**
 * An invalid deployment spec. The message starts with the field's path, e.g. {@code
 * routes./v2/predict.canary.weight}.
 */
public class SpecException extends RuntimeException {
  private final String field;

  public SpecException(String field, String message) {
    super(field.isEmpty() ? message : field + ": " + message);
    this.field = field;
  }

  /** The path of the offending field ("" for the document as a whole). */
  public String field() {
    return field;
  }
}
