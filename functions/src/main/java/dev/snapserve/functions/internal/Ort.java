package dev.snapserve.functions.internal;

import ai.onnxruntime.OrtEnvironment;
import dev.snapserve.functions.ErrorCode;
import dev.snapserve.functions.SnapserveException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process's one ONNX Runtime environment. Everything in snapserve gets it here rather than from
 * {@link OrtEnvironment#getEnvironment()}, because creating it can overflow an ordinary stack: on
 * Linux, ONNX Runtime's platform telemetry (unless {@code ORT_DISABLE_TELEMETRY} is set) matches
 * regular expressions against the process's command line, and the libstdc++ regex engine recurses
 * once per character. With a long {@code java -cp a.jar:b.jar:...} (about 4,000 characters or more)
 * that exceeds the JVM's default 1 MiB thread stack and the process dies of SIGSEGV, without a
 * crash report. So the environment is created once, on a short-lived thread with a large stack
 * (reserved, not committed: it costs address space only). Call this before anything else of ONNX
 * Runtime's, such as {@code new SessionOptions()}: the first use loads the native library too.
 */
public final class Ort {
  /**
   * Measured: a 10,000-character command line needs 2-4 MiB of stack, so this covers command lines
   * up to about 160,000 characters (Linux caps one argument, such as a whole {@code -cp}, at 128
   * KiB).
   */
  static final long CREATION_STACK_BYTES = 64L << 20;

  private static volatile OrtEnvironment environment;

  /** Why creation failed, kept: ONNX Runtime's classes cannot be initialized a second time. */
  private static String failure;

  private static Throwable failureCause;

  private Ort() {}

  /**
   * The environment, created on first use. If ONNX Runtime cannot start (its native library cannot
   * be unpacked or loaded), every call throws a {@link ErrorCode#MODEL_LOAD} error saying why.
   */
  public static OrtEnvironment environment() {
    OrtEnvironment env = environment; // volatile read: the request path's only cost
    return env != null ? env : create();
  }

  private static synchronized OrtEnvironment create() {
    if (environment == null && failure == null) {
      try {
        environment = createOnLargeStack();
      } catch (Throwable t) {
        failureCause = t;
        failure = "ONNX Runtime could not start: " + reason(t);
      }
    }
    if (environment != null) return environment;
    throw new SnapserveException(ErrorCode.MODEL_LOAD, failure, failureCause);
  }

  /** The innermost message, and where ONNX Runtime unpacks its native library when that failed. */
  private static String reason(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String message = root.getMessage() == null ? root.toString() : root.getMessage();
    boolean nativeLibrary =
        root instanceof java.io.IOException || root instanceof UnsatisfiedLinkError;
    return nativeLibrary
        ? message
            + " (ONNX Runtime unpacks its native library into java.io.tmpdir="
            + System.getProperty("java.io.tmpdir")
            + ", which must exist, be writable and allow running programs)"
        : message;
  }

  private static OrtEnvironment createOnLargeStack() throws Throwable {
    AtomicReference<Object> result = new AtomicReference<>();
    Thread creator =
        new Thread(
            null,
            () -> {
              try {
                result.set(OrtEnvironment.getEnvironment());
              } catch (Throwable t) { // rethrown on the caller's thread below
                result.set(t);
              }
            },
            "snapserve-ort-environment",
            CREATION_STACK_BYTES);
    creator.start();
    boolean interrupted = false;
    while (true) {
      try {
        creator.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // creation cannot be abandoned halfway; restore the flag after
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return switch (result.get()) {
      case OrtEnvironment env -> env;
      case Throwable t -> throw t;
      case null, default -> throw new IllegalStateException("no environment was created");
    };
  }
}
