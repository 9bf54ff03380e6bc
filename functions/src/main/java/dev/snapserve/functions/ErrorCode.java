package dev.snapserve.functions;

/** The error codes of the response contract, each with the HTTP status it maps to. */
public enum ErrorCode {
  INVALID_INPUT(400),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  PAYLOAD_TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  OVERLOADED(503),
  MODEL_LOAD(500),
  INTERNAL(500);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
