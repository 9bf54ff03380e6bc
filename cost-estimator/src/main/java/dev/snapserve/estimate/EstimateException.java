package dev.snapserve.estimate;

/**
 * A user error in an estimate's input: an unknown region or instance type, a negative usage. An
 * {@link IllegalArgumentException} so the CLI prints it as one line and exits 2.
 */
public class EstimateException extends IllegalArgumentException {
  public EstimateException(String message) {
    super(message);
  }
}
