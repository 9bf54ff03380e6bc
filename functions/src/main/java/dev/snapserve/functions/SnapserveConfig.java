package dev.snapserve.functions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Immutable configuration of an {@link InferenceService}. Environment variables (prefix {@code
 * SNAPSERVE_}) are read once, by {@link #fromEnv}; the README's configuration table lists them.
 *
 * @param bundles bundle directories to serve; empty means the adapter's default location
 * @param maxPayloadBytes largest request body accepted (default 6 MiB, Lambda's limit)
 * @param maxBatchSize largest batch (dimension 0) accepted (default 256)
 * @param allowNonFinite accept NaN and +/-Infinity in float inputs (default false; the variable
 *     takes {@code true} or {@code false})
 * @param intraOpThreads ONNX Runtime intra-op threads (default: available processors)
 * @param graphOptimization ONNX Runtime graph optimization: none, basic, extended, all (default),
 *     case-insensitive
 * @param routes API versions to models, e.g. {@code v1=digits@1;v2=digits@1:90,digits@2:10}; null
 *     routes {@code v1} to the first bundle's newest version
 * @param versionLabels version labels, e.g. {@code digits:stable=1,canary=2}; null for none
 * @param canaryKeyHeader request header whose value picks a canary side deterministically (default
 *     {@code X-Request-Key})
 * @param primeIterations warm-up requests per model and protocol when priming (default 16)
 */
public record SnapserveConfig(
    List<Path> bundles,
    long maxPayloadBytes,
    int maxBatchSize,
    boolean allowNonFinite,
    int intraOpThreads,
    String graphOptimization,
    String routes,
    String versionLabels,
    String canaryKeyHeader,
    int primeIterations) {

  public static final String PREFIX = "SNAPSERVE_";
  public static final long LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024;

  /** The values of {@link #graphOptimization}. */
  public static final List<String> GRAPH_OPTIMIZATIONS =
      List.of("none", "basic", "extended", "all");

  public SnapserveConfig {
    bundles = List.copyOf(bundles);
    if (maxPayloadBytes <= 0) throw new IllegalArgumentException("maxPayloadBytes must be > 0");
    if (maxBatchSize <= 0) throw new IllegalArgumentException("maxBatchSize must be > 0");
    if (intraOpThreads <= 0) throw new IllegalArgumentException("intraOpThreads must be > 0");
    if (primeIterations < 0) throw new IllegalArgumentException("primeIterations must be >= 0");
    if (graphOptimization == null
        || !GRAPH_OPTIMIZATIONS.contains(graphOptimization.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "graph optimization must be none, basic, extended or all, got '"
              + graphOptimization
              + "'");
    }
  }

  public static SnapserveConfig defaults() {
    return new SnapserveConfig(
        List.of(),
        LAMBDA_PAYLOAD_LIMIT,
        256,
        false,
        Runtime.getRuntime().availableProcessors(),
        "all",
        null,
        null,
        "X-Request-Key",
        16);
  }

  /**
   * Reads {@code SNAPSERVE_*} variables over the defaults; unknown values fail fast, with an {@link
   * IllegalArgumentException} naming the variable. A blank variable means "unset".
   */
  public static SnapserveConfig fromEnv(Map<String, String> env) {
    SnapserveConfig d = defaults();
    List<Path> bundles = new ArrayList<>();
    String b = env.get(PREFIX + "BUNDLES");
    if (b != null) {
      for (String part : b.split(",")) if (!part.isBlank()) bundles.add(Path.of(part.trim()));
    }
    String optimization = env.get(PREFIX + "GRAPH_OPTIMIZATION");
    if (optimization == null || optimization.isBlank()) optimization = d.graphOptimization;
    optimization = optimization.trim();
    if (!GRAPH_OPTIMIZATIONS.contains(optimization.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          PREFIX
              + "GRAPH_OPTIMIZATION must be one of "
              + GRAPH_OPTIMIZATIONS
              + ", got '"
              + optimization
              + "'");
    }
    return new SnapserveConfig(
        bundles,
        longVar(env, "MAX_PAYLOAD_BYTES", d.maxPayloadBytes, 1, Long.MAX_VALUE),
        (int) longVar(env, "MAX_BATCH_SIZE", d.maxBatchSize, 1, Integer.MAX_VALUE),
        boolVar(env, "ALLOW_NON_FINITE", d.allowNonFinite),
        (int) longVar(env, "INTRA_OP_THREADS", d.intraOpThreads, 1, Integer.MAX_VALUE),
        optimization,
        env.get(PREFIX + "ROUTES"),
        env.get(PREFIX + "VERSION_LABELS"),
        env.getOrDefault(PREFIX + "CANARY_KEY_HEADER", d.canaryKeyHeader),
        (int) longVar(env, "PRIME_ITERATIONS", d.primeIterations, 0, Integer.MAX_VALUE));
  }

  public SnapserveConfig withBundles(List<Path> newBundles) {
    return new SnapserveConfig(
        newBundles,
        maxPayloadBytes,
        maxBatchSize,
        allowNonFinite,
        intraOpThreads,
        graphOptimization,
        routes,
        versionLabels,
        canaryKeyHeader,
        primeIterations);
  }

  public SnapserveConfig withMaxPayloadBytes(long bytes) {
    return new SnapserveConfig(
        bundles,
        bytes,
        maxBatchSize,
        allowNonFinite,
        intraOpThreads,
        graphOptimization,
        routes,
        versionLabels,
        canaryKeyHeader,
        primeIterations);
  }

  public SnapserveConfig withRouting(String newRoutes, String newVersionLabels) {
    return new SnapserveConfig(
        bundles,
        maxPayloadBytes,
        maxBatchSize,
        allowNonFinite,
        intraOpThreads,
        graphOptimization,
        newRoutes,
        newVersionLabels,
        canaryKeyHeader,
        primeIterations);
  }

  /** An integer variable within [min, max]; never narrowed silently. */
  private static long longVar(Map<String, String> env, String name, long dflt, long min, long max) {
    String v = env.get(PREFIX + name);
    if (v == null || v.isBlank()) return dflt;
    long value;
    try {
      value = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PREFIX + name + " must be an integer, got '" + v + "'");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          PREFIX + name + " must be between " + min + " and " + max + ", got '" + v + "'");
    }
    return value;
  }

  /** {@code true} or {@code false}, case-insensitively: "yes" or "1" would silently mean false. */
  private static boolean boolVar(Map<String, String> env, String name, boolean dflt) {
    String v = env.get(PREFIX + name);
    if (v == null || v.isBlank()) return dflt;
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              PREFIX + name + " must be true or false, got '" + v + "'");
    };
  }
}
