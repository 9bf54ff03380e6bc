package dev.snapserve.functions.internal;

import ai.onnxruntime.OrtEnvironment;

/**
 * Creates the ONNX Runtime environment in a fresh JVM: {@code direct} as ORT's API, else via Ort.
 */
public final class OrtEnvironmentProbe {
  private OrtEnvironmentProbe() {}

  public static void main(String[] args) {
    OrtEnvironment env =
        args.length > 0 && args[0].equals("direct")
            ? OrtEnvironment.getEnvironment()
            : Ort.environment();
    System.out.println("created " + (env != null));
    System.out.flush();
    Runtime.getRuntime().halt(0); // ORT's native teardown at exit is not what this probes
  }
}
