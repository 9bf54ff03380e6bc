package dev.snapserve.server;

import com.sun.net.httpserver.HttpServer;
import dev.snapserve.functions.InferenceService;
import dev.snapserve.server.internal.HttpBridge;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The long-running HTTP server in front of an {@link InferenceService}: every route of the service
 * ({@code /v1/predict}, TF Serving REST, Open Inference Protocol v2) plus SageMaker's container
 * contract ({@code GET /ping}, {@code POST /invocations}, answered as {@code GET /v2/health/ready}
 * and {@code POST /v1/predict}).
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver} with a fixed pool of {@link
 * ServerConfig#threads()} platform threads. The server owns the service it is given: {@link
 * #close()} stops the server, then closes the service.
 *
 * <pre>{@code
 * try (EndpointServer server = new EndpointServer(service, ServerConfig.defaults())) {
 *   server.start();
 *   server.runUntilSignalled(); // until SIGTERM / Ctrl-C
 * }
 * }</pre>
 */
public final class EndpointServer implements AutoCloseable {
  private final InferenceService service;
  private final ServerConfig config;
  private final HttpBridge bridge;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private HttpServer server;
  private ThreadPoolExecutor workers;
  private volatile InetSocketAddress address;
  private boolean serviceClosed;

  public EndpointServer(InferenceService service, ServerConfig config) {
    this.service = service;
    this.config = config;
    this.bridge = new HttpBridge(service);
  }

  /**
   * Binds and starts serving; returns the address bound (with the real port when the configured one
   * is 0). Throws {@link ServeException} when the port is in use or the host cannot be bound.
   */
  public synchronized InetSocketAddress start() {
    if (server != null) throw new IllegalStateException("server already started");
    if (stopped.getCount() == 0) throw new IllegalStateException("server was stopped");
    InetSocketAddress bind = new InetSocketAddress(config.host(), config.port());
    if (bind.isUnresolved()) {
      throw new ServeException("cannot listen on " + config.host() + ": unknown host");
    }
    limitRequestTime(config.readTimeout());
    HttpServer http;
    try {
      http = HttpServer.create(bind, 0);
    } catch (BindException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("in use")) {
        throw new ServeException(
            "port "
                + config.port()
                + " is in use; pass --port (or set SNAPSERVE_PORT) to pick another, 0 for any free"
                + " port",
            e);
      }
      throw new ServeException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + message, e);
    } catch (IOException e) {
      throw new ServeException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
    AtomicInteger n = new AtomicInteger();
    workers =
        new ThreadPoolExecutor(
            config.threads(),
            config.threads(),
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "snapserve-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(workers);
    http.createContext("/", bridge);
    http.start();
    server = http;
    address = http.getAddress();
    return address;
  }

  /**
   * The JDK server closes a connection whose request has not been read within this time, counted
   * from when the connection turned readable, so including any wait for a free worker. It is off
   * unless set, JVM-wide, and read once, when the JDK's server configuration loads (the first
   * server of the JVM); a value given with {@code -D} is kept. Its response-time twin is left off:
   * it counts from the end of the request, so it would cut off a slow inference.
   */
  private static void limitRequestTime(Duration timeout) {
    String property = "sun.net.httpserver.maxReqTime";
    if (timeout.isZero() || System.getProperty(property) != null) return;
    System.setProperty(property, Long.toString(Math.max(1, timeout.toSeconds())));
  }

  /** The address bound by {@link #start()}, or null before. */
  public InetSocketAddress address() {
    return address;
  }

  /** {@code http://host:port}, for messages and clients; null before {@link #start()}. */
  public URI baseUri() {
    InetSocketAddress address = this.address;
    if (address == null) return null;
    String host = address.getHostString();
    if (host.contains(":")) host = "[" + host + "]";
    return URI.create("http://" + host + ":" + address.getPort());
  }

  /** Requests being handled right now. */
  public int inFlight() {
    return bridge.inFlight();
  }

  /**
   * Stops accepting connections, lets requests already being handled finish for up to {@code
   * grace}, then closes every connection. Idempotent; does not close the service (see {@link
   * #close()}).
   *
   * <p>The JDK server waits in whole seconds, so a grace is rounded up to the next second.
   */
  public synchronized void stop(Duration grace) {
    if (server == null || stopped.getCount() == 0) {
      stopped.countDown();
      return;
    }
    long deadline = System.nanoTime() + grace.toNanos();
    bridge.drain();
    // closes the listener at once, then waits until no exchange is in progress (or the grace ends)
    server.stop((int) Math.min(Integer.MAX_VALUE, (grace.toMillis() + 999) / 1000));
    workers.shutdown();
    try {
      long left = deadline - System.nanoTime();
      if (!workers.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    stopped.countDown();
  }

  /**
   * Stops with {@link ServerConfig#shutdownGrace()}, then closes the service, unless a request
   * outlived the grace and may still be running a model (closing a model under a running request is
   * unsafe; the process is about to exit anyway).
   */
  @Override
  public synchronized void close() {
    stop(config.shutdownGrace());
    if (serviceClosed) return;
    if (workers != null && !awaitWorkers(Duration.ofSeconds(1)) && bridge.inFlight() > 0) {
      System.err.println(
          "snapserve: "
              + bridge.inFlight()
              + " request(s) still running after the "
              + config.shutdownGrace().toSeconds()
              + " s grace; leaving their models open");
      return;
    }
    serviceClosed = true;
    service.close();
  }

  /** Waits for the stopped pool's threads to exit; true when they have. */
  private boolean awaitWorkers(Duration timeout) {
    try {
      return workers.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return workers.isTerminated();
    }
  }

  /** Blocks until the server has stopped (by {@link #stop}, {@link #close} or a signal). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * Serves until the process receives SIGTERM or SIGINT (Ctrl-C), then stops accepting, drains
   * in-flight requests for up to {@link ServerConfig#shutdownGrace()}, closes the service, prints
   * one line to standard output and returns. Also returns when the server is stopped otherwise.
   */
  public void runUntilSignalled() throws InterruptedException {
    runUntilSignalled(System.out);
  }

  void runUntilSignalled(PrintStream out) throws InterruptedException {
    Thread hook =
        new Thread(
            () -> {
              int draining = bridge.inFlight();
              long start = System.nanoTime();
              close();
              out.printf(
                  "snapserve: stopped on signal after draining %d in-flight request(s) in %d ms%n",
                  draining, (System.nanoTime() - start) / 1_000_000);
              out.flush();
            },
            "snapserve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      awaitStop();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running (or ran): it owns the shutdown
      }
    }
  }
}
