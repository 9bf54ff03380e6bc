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
 * crash report (seen on an x86-64 Debian 12 machine, not on every machine). So the environment is
 * created once, on a short-lived thread with a large stack (reserved, not committed: it costs
 * address space only). Call this before anything else of ONNX Runtime's, such as {@code new
 * SessionOptions()}: the first use loads the native library too.
 */
public final class Ort {
  /**
   * Measured: a 10,000-character command line needs 2-4 MiB of stack, so this covers command lines
   * up to about 160,000 characters (Linux caps one argument, such as a whole {@code -cp}, at 128
   * KiB).
   */
  static final long CREATION_STACK_BYTES = 64L << 20;

  private static volatile OrtEnvironment environment;

  /** Why creation failed for good, kept: ONNX Runtime's classes cannot be initialized twice. */
  private static String failure;

  private static Throwable failureCause;

  private Ort() {}

  /**
   * The environment, created on first use. If ONNX Runtime cannot start, this throws a {@link
   * ErrorCode#MODEL_LOAD} error saying why; when its native library could not be unpacked or
   * loaded, every later call throws the same, and other failures are tried again.
   */
  public static OrtEnvironment environment() {
    OrtEnvironment env = environment; // volatile read: the request path's only cost
    return env != null ? env : create();
  }

  private static synchronized OrtEnvironment create() {
    if (environment != null) return environment;
    if (failure != null) {
      throw new SnapserveException(ErrorCode.MODEL_LOAD, failure, failureCause);
    }
    try {
      environment = createOnLargeStack();
      return environment;
    } catch (Throwable t) {
      String message = "ONNX Runtime could not start: " + reason(t);
      if (permanent(t)) { // its classes cannot be initialized again: every later call fails alike
        failure = message;
        failureCause = t;
      }
      throw new SnapserveException(ErrorCode.MODEL_LOAD, message, t);
    }
  }

  /** A failure of class initialization or library loading, which a second try cannot undo. */
  private static boolean permanent(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ExceptionInInitializerError
          || c instanceof NoClassDefFoundError
          || c instanceof UnsatisfiedLinkError) {
        return true;
      }
    }
    return false;
  }

  /**
   * The innermost exception, and, when the native library could not be unpacked or mapped, where
   * ONNX Runtime unpacks it.
   */
  private static String reason(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String message = root.getClass().getSimpleName() + ": " + root.getMessage();
    boolean unpacking =
        root instanceof java.io.IOException
            || String.valueOf(root.getMessage()).contains("failed to map segment");
    return unpacking
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
