package dev.snapserve.functions.internal;

import dev.snapserve.functions.SnapserveException;

/**
 * Creates the ONNX Runtime environment in a fresh JVM via Ort, twice (as a second caller would),
 * printing the error of a failure and exiting 3.
 */
public final class OrtEnvironmentProbe {
  private OrtEnvironmentProbe() {}

  public static void main(String[] args) {
    int status = 0;
    for (int call = 1; call <= 2; call++) {
      try {
        System.out.println("created " + (Ort.environment() != null));
      } catch (SnapserveException e) {
        System.out.println("error " + call + ": " + e.code() + ": " + e.getMessage());
        status = 3;
      }
    }
    System.out.flush();
    Runtime.getRuntime().halt(status); // ORT's native teardown at exit is not what this probes
  }
}
