package dev.snapserve.aws;

/** Boots the handler from this process's environment and exits: run in a fresh JVM by a test. */
public final class ColdStartProbe {
  private ColdStartProbe() {}

  public static void main(String[] args) {
    PredictHandler.boot(System.getenv());
    System.out.println("booted");
    System.out.flush();
    // skip shutdown: ONNX Runtime's native teardown at JVM exit is not what this probe measures
    Runtime.getRuntime().halt(0);
  }
}
