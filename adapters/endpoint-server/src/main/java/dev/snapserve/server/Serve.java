package dev.snapserve.server;

import dev.snapserve.functions.InferenceService;
import dev.snapserve.functions.ModelBundle;
import dev.snapserve.functions.RequestListener;
import dev.snapserve.functions.SnapserveConfig;
import dev.snapserve.functions.SnapserveException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code snapserve serve}: loads models (bundle directories or bare {@code .onnx} files), primes
 * them, starts an {@link EndpointServer} and prints one line saying where it listens. Every problem
 * that stops it is a {@link ServeException} with a message for the user.
 *
 * <p>{@link #main} is the entry point of a server image: model paths as arguments (or {@code
 * SNAPSERVE_BUNDLES}), everything else from {@code SNAPSERVE_*} variables; it serves until SIGTERM.
 */
public final class Serve {
  /** Version given to a bare .onnx file when none is passed. */
  public static final String DEFAULT_VERSION = "1";

  private static final String ONNX = ".onnx";

  private Serve() {}

  /**
   * Loads, primes and starts; returns the running server, which owns the service.
   *
   * @param models bundle directories and/or .onnx files; empty means {@code config.bundles()}
   * @param name model name for a bare .onnx file, or null for its file name without {@code .onnx}
   * @param version model version for a bare .onnx file, or null for {@value #DEFAULT_VERSION}
   * @param config the service's configuration (payload and batch limits, routes, priming, ...)
   * @param server the transport's configuration
   * @param out where the one "serving ..." line goes
   */
  public static EndpointServer start(
      List<Path> models,
      String name,
      String version,
      SnapserveConfig config,
      ServerConfig server,
      PrintStream out) {
    long start = System.nanoTime();
    return start(
        bundles(models.isEmpty() ? config.bundles() : models, name, version, config),
        config,
        server,
        out,
        start);
  }

  /**
   * As {@link #start(List, String, String, SnapserveConfig, ServerConfig, PrintStream)}, for
   * bundles already loaded.
   */
  public static EndpointServer start(
      List<ModelBundle> bundles, SnapserveConfig config, ServerConfig server, PrintStream out) {
    return start(bundles, config, server, out, System.nanoTime());
  }

  private static EndpointServer start(
      List<ModelBundle> bundles,
      SnapserveConfig config,
      ServerConfig server,
      PrintStream out,
      long start) {
    InferenceService service;
    try {
      service = InferenceService.create(config, bundles, RequestListener.FAILURES_TO_STDERR);
    } catch (SnapserveException | IllegalArgumentException e) {
      throw new ServeException(e.getMessage(), e);
    }
    EndpointServer endpoint;
    try {
      service.prime(config.primeIterations());
      endpoint = new EndpointServer(service, server);
      endpoint.start();
    } catch (SnapserveException e) {
      service.close();
      throw new ServeException(e.getMessage(), e);
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
    out.printf(
        "snapserve: serving %s on %s in %d ms (routes: %s)%n",
        service.models().stream()
            .map(m -> m.name() + "@" + m.version())
            .collect(Collectors.joining(", ")),
        endpoint.baseUri(),
        (System.nanoTime() - start) / 1_000_000,
        String.join(", ", routes(config)));
    out.flush();
    return endpoint;
  }

  /**
   * Reads each path as a bundle directory (or its {@code manifest.json}) or a bare .onnx file; the
   * name and version apply to a single bare .onnx file only.
   */
  public static List<ModelBundle> bundles(
      List<Path> models, String name, String version, SnapserveConfig config) {
    if (models.isEmpty()) {
      throw new ServeException(
          "nothing to serve: pass a bundle directory or a .onnx file (or set SNAPSERVE_BUNDLES)");
    }
    long onnxFiles = models.stream().filter(Serve::isOnnxFile).count();
    if ((name != null || version != null) && onnxFiles != 1) {
      throw new ServeException(
          "--name and --version name a single bare .onnx file; "
              + (onnxFiles == 0
                  ? "a bundle's manifest.json already names its model"
                  : "got " + onnxFiles + " .onnx files"));
    }
    List<ModelBundle> bundles = new ArrayList<>();
    for (Path p : models) bundles.add(bundle(p, name, version, config));
    return bundles;
  }

  private static ModelBundle bundle(Path p, String name, String version, SnapserveConfig config) {
    if (!Files.exists(p)) {
      throw new ServeException(
          "no such file or directory: " + p + " (pass a bundle directory or a .onnx file)");
    }
    try {
      if (Files.isDirectory(p)) {
        if (!Files.exists(p.resolve(ModelBundle.MANIFEST_FILE))) throw notABundle(p);
        return ModelBundle.load(p);
      }
      if (p.getFileName().toString().equals(ModelBundle.MANIFEST_FILE)) {
        return ModelBundle.load(p.toAbsolutePath().getParent());
      }
      if (isOnnxFile(p)) {
        String file = p.getFileName().toString();
        String modelName = name != null ? name : file.substring(0, file.length() - ONNX.length());
        try {
          return ModelBundle.fromOnnxFile(
              p, modelName, version != null ? version : DEFAULT_VERSION, config);
        } catch (SnapserveException e) {
          if (name == null && e.getMessage().contains("model name must match")) {
            throw new ServeException(e.getMessage() + "; pass --name", e);
          }
          throw e;
        }
      }
    } catch (SnapserveException e) {
      throw new ServeException(e.getMessage(), e);
    }
    throw new ServeException(
        p
            + " is neither a bundle directory (with "
            + ModelBundle.MANIFEST_FILE
            + ") nor a .onnx"
            + " file");
  }

  private static ServeException notABundle(Path dir) {
    List<String> onnx = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + ONNX)) {
      files.forEach(f -> onnx.add(f.getFileName().toString()));
    } catch (IOException e) {
      // only for the hint below
    }
    return new ServeException(
        dir
            + " is not a bundle: it has no "
            + ModelBundle.MANIFEST_FILE
            + (onnx.size() == 1
                ? "; to serve the bare model, pass " + dir.resolve(onnx.get(0))
                : " (pass a bundle directory or a .onnx file)"));
  }

  private static boolean isOnnxFile(Path p) {
    return Files.isRegularFile(p)
        && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ONNX);
  }

  /** The routes a client can call, short form, for the startup line. */
  static List<String> routes(SnapserveConfig config) {
    List<String> routes = new ArrayList<>();
    if (config.routes() == null || config.routes().isBlank()) {
      routes.add("POST /v1/predict");
    } else {
      for (String entry : config.routes().split(";")) {
        int eq = entry.indexOf('=');
        if (eq > 0) routes.add("POST /" + entry.substring(0, eq).trim() + "/predict");
      }
    }
    routes.add("POST /v1/models/{name}:predict");
    routes.add("POST /v2/models/{name}/infer");
    routes.add("GET /v2/health/ready");
    routes.add("GET /ping");
    routes.add("POST /invocations");
    return routes;
  }

  /**
   * Serves until SIGTERM or SIGINT. Arguments: model paths (a leading {@code serve}, as SageMaker
   * passes it, is ignored); without any, {@code SNAPSERVE_BUNDLES}. Configuration: {@code
   * SNAPSERVE_*} variables ({@link SnapserveConfig#fromEnv}, {@link ServerConfig#fromEnv}). Exits 1
   * with a one-line message when it cannot start.
   */
  public static void main(String[] args) throws InterruptedException {
    Map<String, String> env = System.getenv();
    List<Path> models = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (i == 0 && args[i].equals("serve")) continue;
      if (args[i].startsWith("-")) {
        exit(
            "unknown option "
                + args[i]
                + "; this entry point takes model paths and reads SNAPSERVE_* variables (the"
                + " snapserve CLI has the options)");
      }
      models.add(Path.of(args[i]));
    }
    EndpointServer server;
    try {
      server =
          start(
              models,
              null,
              null,
              SnapserveConfig.fromEnv(env),
              ServerConfig.fromEnv(env),
              System.out);
    } catch (ServeException | IllegalArgumentException e) {
      exit(e.getMessage());
      return;
    }
    server.runUntilSignalled();
  }

  private static void exit(String message) {
    System.err.println("snapserve: " + message);
    System.exit(1);
  }
}
