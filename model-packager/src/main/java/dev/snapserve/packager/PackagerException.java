package dev.snapserve.packager;

/**
 * A problem with the user's input or output (bad model, existing output, unreachable bucket, ...).
 * The message is one clear sentence naming the file or field; the CLI prints it and exits 2.
 */
public class PackagerException extends RuntimeException {
  public PackagerException(String message) {
    super(message);
  }

  public PackagerException(String message, Throwable cause) {
    super(message, cause);
  }
}
