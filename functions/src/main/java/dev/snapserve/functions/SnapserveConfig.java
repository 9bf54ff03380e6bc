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
    return builder().build();
  }

  /** A builder starting from the documented defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.bundles = bundles;
    b.maxPayloadBytes = maxPayloadBytes;
    b.maxBatchSize = maxBatchSize;
    b.allowNonFinite = allowNonFinite;
    b.intraOpThreads = intraOpThreads;
    b.graphOptimization = graphOptimization;
    b.routes = routes;
    b.versionLabels = versionLabels;
    b.canaryKeyHeader = canaryKeyHeader;
    b.primeIterations = primeIterations;
    return b;
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
    return builder()
        .bundles(bundles)
        .maxPayloadBytes(longVar(env, "MAX_PAYLOAD_BYTES", d.maxPayloadBytes, 1, Long.MAX_VALUE))
        .maxBatchSize((int) longVar(env, "MAX_BATCH_SIZE", d.maxBatchSize, 1, Integer.MAX_VALUE))
        .allowNonFinite(boolVar(env, "ALLOW_NON_FINITE", d.allowNonFinite))
        .intraOpThreads(
            (int) longVar(env, "INTRA_OP_THREADS", d.intraOpThreads, 1, Integer.MAX_VALUE))
        .graphOptimization(optimization)
        .routes(env.get(PREFIX + "ROUTES"))
        .versionLabels(env.get(PREFIX + "VERSION_LABELS"))
        .canaryKeyHeader(env.getOrDefault(PREFIX + "CANARY_KEY_HEADER", d.canaryKeyHeader))
        .primeIterations(
            (int) longVar(env, "PRIME_ITERATIONS", d.primeIterations, 0, Integer.MAX_VALUE))
        .build();
  }

  public SnapserveConfig withBundles(List<Path> newBundles) {
    return toBuilder().bundles(newBundles).build();
  }

  public SnapserveConfig withMaxPayloadBytes(long bytes) {
    return toBuilder().maxPayloadBytes(bytes).build();
  }

  public SnapserveConfig withRouting(String newRoutes, String newVersionLabels) {
    return toBuilder().routes(newRoutes).versionLabels(newVersionLabels).build();
  }

  /** Builds a {@link SnapserveConfig}; every field starts at its documented default. */
  public static final class Builder {
    private List<Path> bundles = List.of();
    private long maxPayloadBytes = LAMBDA_PAYLOAD_LIMIT;
    private int maxBatchSize = 256;
    private boolean allowNonFinite;
    private int intraOpThreads = Runtime.getRuntime().availableProcessors();
    private String graphOptimization = "all";
    private String routes;
    private String versionLabels;
    private String canaryKeyHeader = "X-Request-Key";
    private int primeIterations = 16;

    private Builder() {}

    public Builder bundles(List<Path> v) {
      bundles = v;
      return this;
    }

    public Builder maxPayloadBytes(long v) {
      maxPayloadBytes = v;
      return this;
    }

    public Builder maxBatchSize(int v) {
      maxBatchSize = v;
      return this;
    }

    public Builder allowNonFinite(boolean v) {
      allowNonFinite = v;
      return this;
    }

    public Builder intraOpThreads(int v) {
      intraOpThreads = v;
      return this;
    }

    public Builder graphOptimization(String v) {
      graphOptimization = v;
      return this;
    }

    public Builder routes(String v) {
      routes = v;
      return this;
    }

    public Builder versionLabels(String v) {
      versionLabels = v;
      return this;
    }

    public Builder canaryKeyHeader(String v) {
      canaryKeyHeader = v;
      return this;
    }

    public Builder primeIterations(int v) {
      primeIterations = v;
      return this;
    }

    public SnapserveConfig build() {
      return new SnapserveConfig(
          bundles,
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
