package dev.snapserve.cdk;

/** A Lambda artifact the app needs is missing or unusable; the message says how to build it. */
public final class LambdaArtifactException extends RuntimeException {
  public LambdaArtifactException(String message) {
    super(message);
  }
}
