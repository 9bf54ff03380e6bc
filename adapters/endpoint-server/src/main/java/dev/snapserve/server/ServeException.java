package dev.snapserve.server;

/**
 * Why a server could not start: a missing model, a bad manifest, a port in use. The message is
 * written for the person who ran the command; a CLI prints it and exits non-zero.
 */
public final class ServeException extends RuntimeException {
  public ServeException(String message) {
    super(message);
  }

  public ServeException(String message, Throwable cause) {
    super(message, cause);
  }
}
