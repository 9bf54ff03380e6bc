package dev.snapserve.gcp;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Functions Framework invoker ({@code java -jar java-function-invoker.jar}) in its own
 * process, with the function on its {@code --classpath}, as the Cloud Functions runtime runs it.
 * Its output goes to a log file under {@code target/}, quoted when it fails to start.
 */
final class InvokerProcess implements AutoCloseable {
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  final Process process;
  final int port;
  final Path log;

  private InvokerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the invoker on a free loopback port and waits (bounded) until {@code readyPath} answers
   * 200. The invoker itself binds all interfaces; tests only ever talk to 127.0.0.1.
   */
  static InvokerProcess start(
      String name,
      Class<?> target,
      List<Path> classpath,
      Map<String, String> env,
      String readyPath,
      HttpClient http)
      throws IOException, InterruptedException {
    Path buildDir = Path.of(required("build.directory"));
    Path log = buildDir.resolve("invoker-" + name + ".log");
    int port = freeLoopbackPort();
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.add("-jar");
    command.add(required("invoker.jar"));
    command.add("--classpath");
    command.add(
        String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()));
    command.add("--target");
    command.add(target.getName());
    command.add("--port");
    command.add(Integer.toString(port));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(buildDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // only the configuration under test: nothing inherited from the developer's shell
    pb.environment().keySet().removeIf(k -> k.startsWith("SNAPSERVE_"));
    pb.environment().putAll(env);
    InvokerProcess invoker = new InvokerProcess(pb.start(), port, log);
    try {
      invoker.awaitReady(readyPath, http, command);
      return invoker;
    } catch (RuntimeException | Error | InterruptedException e) {
      invoker.close();
      throw e;
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The invoker's output so far, for assertion messages. */
  String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  private void awaitReady(String readyPath, HttpClient http, List<String> command)
      throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    HttpRequest probe =
        HttpRequest.newBuilder(uri(readyPath)).timeout(Duration.ofSeconds(5)).build();
    String last = "no attempt";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail(
            "invoker exited with code %d before %s answered\ncommand: %s\n--- %s ---\n%s",
            process.exitValue(), readyPath, command, log, output());
      }
      try {
        HttpResponse<String> r = http.send(probe, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
        last = "HTTP " + r.statusCode() + ": " + r.body();
      } catch (IOException e) {
        last = e.toString(); // not listening yet
      }
      Thread.sleep(250);
    }
    fail(
        "invoker not ready within %s (last: %s)\ncommand: %s\n--- %s ---\n%s",
        READY_TIMEOUT, last, command, log, output());
  }

  /** Stops the invoker and anything it started. */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** target/classes plus the module's runtime jars (written by dependency:build-classpath). */
  static List<Path> functionClasspath(boolean withTestClasses) {
    List<Path> cp = new ArrayList<>();
    if (withTestClasses) cp.add(Path.of(required("function.test-classes")));
    cp.add(Path.of(required("function.classes")));
    try {
      String deps = Files.readString(Path.of(required("function.classpath.file"))).trim();
      for (String entry : deps.split(java.io.File.pathSeparator)) {
        if (!entry.isBlank()) cp.add(Path.of(entry));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cp;
  }

  /** The java the tests run on, so the invoker sees the same JDK. */
  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  static String required(String property) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(
          "system property " + property + " is not set; run through failsafe (mvn verify)");
    }
    return v;
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
