package dev.snapserve.estimate;

/**
 * This machine cannot draw a chart: Java2D failed (no usable font, an unreachable X display, a
 * missing native library). Not a user error; the CLI prints the message as one line and exits 1.
 */
public class ChartException extends RuntimeException {
  public ChartException(String message, Throwable cause) {
    super(message, cause);
  }
}
