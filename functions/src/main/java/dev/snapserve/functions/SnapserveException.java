package dev.snapserve.functions;

/**
 * The one exception type of the request path. Its message is safe to show to a caller: it names the
 * problem, never internals; {@link #code()} decides the HTTP status.
 */
public class SnapserveException extends RuntimeException {
  private final ErrorCode code;

  public SnapserveException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public SnapserveException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static SnapserveException invalid(String message) {
    return new SnapserveException(ErrorCode.INVALID_INPUT, message);
  }

  public static SnapserveException notFound(String message) {
    return new SnapserveException(ErrorCode.NOT_FOUND, message);
  }
}
