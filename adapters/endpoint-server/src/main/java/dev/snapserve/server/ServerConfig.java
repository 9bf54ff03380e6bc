package dev.snapserve.server;

import dev.snapserve.functions.SnapserveConfig;
import java.time.Duration;
import java.util.Map;

/**
 * Immutable configuration of an {@link EndpointServer}: the transport only; what is served and how
 * requests are validated is the {@link SnapserveConfig} of the service. Environment variables are
 * read once, by {@link #fromEnv}, with the same {@code SNAPSERVE_} prefix.
 *
 * @param host address to listen on (default {@code 127.0.0.1}, this machine only; use {@code
 *     0.0.0.0} in a container, e.g. for SageMaker). {@code SNAPSERVE_HOST}
 * @param port TCP port (default 8080, also SageMaker's); 0 picks a free port, which {@link
 *     EndpointServer#start} returns. {@code SNAPSERVE_PORT}, overridden by {@code
 *     SAGEMAKER_BIND_TO_PORT}: SageMaker sets it for images labelled {@code
 *     com.amazonaws.sagemaker.capabilities.accept-bind-to-port=true} and expects that port
 * @param threads request worker threads (default 2 x available processors). Platform threads, not
 *     virtual: a model run is CPU-bound native code and the core pools buffers per request, so more
 *     threads than this only queue inside ONNX Runtime. {@code SNAPSERVE_SERVER_THREADS}
 * @param shutdownGrace how long {@link EndpointServer#close} waits for in-flight requests (default
 *     5 s). {@code SNAPSERVE_SHUTDOWN_GRACE_SECONDS}
 * @param readTimeout how long a request may take to arrive, counted from when its connection turns
 *     readable and so including any wait for a free worker, before the connection is closed without
 *     an answer (default 30 s, whole seconds; zero: no limit): a client that stalls mid-request
 *     cannot hold a worker thread. Inference time does not count. It sets the JDK server's {@code
 *     sun.net.httpserver.maxReqTime}, which is JVM-wide and read once: the first server started in
 *     a JVM (any {@code HttpServer}, also one of an embedding application) fixes it, and a {@code
 *     -D} value wins. {@code SNAPSERVE_READ_TIMEOUT_SECONDS}
 */
public record ServerConfig(
    String host, int port, int threads, Duration shutdownGrace, Duration readTimeout) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  /** SageMaker's port variable (inference pipelines, multi-container endpoints). */
  public static final String SAGEMAKER_BIND_TO_PORT = "SAGEMAKER_BIND_TO_PORT";

  public ServerConfig {
    if (host == null || host.isBlank()) throw new IllegalArgumentException("host is empty");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535 (0 = any free port), got " + port);
    }
    if (threads <= 0) throw new IllegalArgumentException("threads must be > 0, got " + threads);
    if (shutdownGrace == null || shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("shutdownGrace must be zero or positive");
    }
    if (readTimeout == null || readTimeout.isNegative()) {
      throw new IllegalArgumentException("readTimeout must be zero (no limit) or positive");
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        2 * Runtime.getRuntime().availableProcessors(),
        DEFAULT_SHUTDOWN_GRACE,
        DEFAULT_READ_TIMEOUT);
  }

  /** Reads {@code SNAPSERVE_*} variables over the defaults; malformed values fail fast. */
  public static ServerConfig fromEnv(Map<String, String> env) {
    ServerConfig d = defaults();
    String host = env.get(SnapserveConfig.PREFIX + "HOST");
    return new ServerConfig(
        host == null || host.isBlank() ? d.host : host.trim(),
        (int)
            longVarNamed(
                env,
                SAGEMAKER_BIND_TO_PORT,
                longVar(env, "PORT", d.port, Integer.MAX_VALUE),
                Integer.MAX_VALUE),
        (int) longVar(env, "SERVER_THREADS", d.threads, Integer.MAX_VALUE),
        Duration.ofSeconds(
            longVar(env, "SHUTDOWN_GRACE_SECONDS", d.shutdownGrace.toSeconds(), Long.MAX_VALUE)),
        Duration.ofSeconds(
            longVar(env, "READ_TIMEOUT_SECONDS", d.readTimeout.toSeconds(), Integer.MAX_VALUE)));
  }

  public ServerConfig withHost(String newHost) {
    return new ServerConfig(newHost, port, threads, shutdownGrace, readTimeout);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, threads, shutdownGrace, readTimeout);
  }

  public ServerConfig withThreads(int newThreads) {
    return new ServerConfig(host, port, newThreads, shutdownGrace, readTimeout);
  }

  public ServerConfig withShutdownGrace(Duration grace) {
    return new ServerConfig(host, port, threads, grace, readTimeout);
  }

  public ServerConfig withReadTimeout(Duration timeout) {
    return new ServerConfig(host, port, threads, shutdownGrace, timeout);
  }

  private static long longVar(Map<String, String> env, String name, long dflt, long max) {
    return longVarNamed(env, SnapserveConfig.PREFIX + name, dflt, max);
  }

  private static long longVarNamed(Map<String, String> env, String name, long dflt, long max) {
    String v = env.get(name);
    if (v == null || v.isBlank()) return dflt;
    long value;
    try {
      value = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(name + " must be a non-negative integer, got '" + v + "'");
    }
    return value;
  }
}
