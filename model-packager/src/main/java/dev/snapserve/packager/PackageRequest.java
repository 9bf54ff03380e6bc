package dev.snapserve.packager;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Packager#pack} builds: one model as one deployable. Build it with {@link #builder}.
 *
 * @param model an ONNX file, a bundle directory (manifest.json + model), or a zipped bundle
 * @param name model name in the manifest and the artifact's file name
 * @param version model version
 * @param target where the artifact deploys
 * @param arch CPU architecture whose ONNX Runtime native library is kept (the others are removed)
 * @param optimize ONNX Runtime offline graph optimization; empty: the model as exported
 * @param quantize quantization after optimization; empty: float32 weights as exported
 * @param verifyData inputs each transformation is verified on (the {@link VerifyOptions#data}
 *     format); null: inputs synthesized from the signature
 * @param tolerance what the verification of each transformation must meet; null: {@link
 *     VerifyOptions.Tolerance#DEFAULT} for optimization, {@link #QUANTIZED_TOLERANCE} for
 *     quantization
 * @param baseImage the endpoint image's base (see {@link EndpointImageRequest#baseImage}); null:
 *     {@value EndpointImageRequest#DEFAULT_BASE_IMAGE}
 * @param labels class labels for the manifest; empty: those of an input bundle, if any
 * @param provenance extra provenance entries (e.g. training data, git commit)
 * @param outputDir where the artifact is written
 * @param force replace an existing artifact
 * @param viaS3 lambda: the zip reaches Lambda through S3 (CDK assets, {@code publish}), so only the
 *     250 MB unzipped limit applies, not the 50 MB one of a direct upload
 * @param timestamp every timestamp in the artifact (zip entries, manifest createdAt), so that the
 *     same inputs give the same bytes
 */
public record PackageRequest(
    Path model,
    String name,
    String version,
    Target target,
    Arch arch,
    Optional<Optimizer.Level> optimize,
    Optional<QuantizeOptions.Mode> quantize,
    Path verifyData,
    VerifyOptions.Tolerance tolerance,
    String baseImage,
    List<String> labels,
    Map<String, String> provenance,
    Path outputDir,
    boolean force,
    boolean viaS3,
    Instant timestamp) {

  /**
   * Timestamp when SOURCE_DATE_EPOCH is not set: the one the Maven build uses for snapserve's own
   * jars.
   */
  public static final Instant DEFAULT_TIMESTAMP = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * Quantized weights change outputs by design, so the check is the prediction: top-1 agreement
   * with the float model on at least 99% of the inputs (max errors are still recorded).
   */
  public static final VerifyOptions.Tolerance QUANTIZED_TOLERANCE =
      new VerifyOptions.Tolerance(null, null, 0.99);

  /** Deployment targets. */
  public enum Target {
    /** AWS Lambda java21 managed runtime: a zip. */
    LAMBDA,
    /** Google Cloud Functions (gen2) java21: a source directory with a prebuilt jar. */
    GCF,
    /** GPU/CPU endpoint server: an OCI image. */
    ENDPOINT;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Target parse(String s) {
      for (Target t : values()) if (t.id().equals(s)) return t;
      throw new PackagerException("target must be lambda, gcf or endpoint, got '" + s + "'");
    }
  }

  /** CPU architectures, named as AWS names them. */
  public enum Arch {
    X86_64("x86_64", "linux-x64"),
    ARM64("arm64", "linux-aarch64");

    private final String id;
    private final String onnxRuntimePlatform;

    Arch(String id, String onnxRuntimePlatform) {
      this.id = id;
      this.onnxRuntimePlatform = onnxRuntimePlatform;
    }

    public String id() {
      return id;
    }

    /** The directory under {@code ai/onnxruntime/native/} in the ONNX Runtime jar. */
    public String onnxRuntimePlatform() {
      return onnxRuntimePlatform;
    }

    public static Arch parse(String s) {
      for (Arch a : values()) if (a.id.equals(s)) return a;
      throw new PackagerException("arch must be x86_64 or arm64, got '" + s + "'");
    }
  }

  public PackageRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(arch, "arch");
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(timestamp, "timestamp");
    optimize = optimize == null ? Optional.empty() : optimize;
    quantize = quantize == null ? Optional.empty() : quantize;
    labels = labels == null ? List.of() : List.copyOf(labels);
    provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
  }

  /** The same request for another input model (tests). */
  PackageRequest withModel(Path other) {
    return toBuilder(other).build();
  }

  /** The same request with another name and version. */
  public PackageRequest withNames(String newName, String newVersion) {
    return toBuilder(model).name(newName).version(newVersion).build();
  }

  private Builder toBuilder(Path newModel) {
    return builder(newModel, target)
        .name(name)
        .version(version)
        .arch(arch)
        .optimize(optimize.orElse(null))
        .quantize(quantize.orElse(null))
        .verifyData(verifyData)
        .tolerance(tolerance)
        .baseImage(baseImage)
        .labels(labels)
        .provenance(provenance)
        .outputDir(outputDir)
        .force(force)
        .viaS3(viaS3)
        .timestamp(timestamp);
  }

  public static Builder builder(Path model, Target target) {
    return new Builder(model, target);
  }

  /**
   * The timestamp from {@code SOURCE_DATE_EPOCH} (seconds since the epoch, the reproducible-builds
   * convention) in {@code env}, else {@link #DEFAULT_TIMESTAMP}.
   */
  public static Instant timestampFrom(Map<String, String> env) {
    String epoch = env.get("SOURCE_DATE_EPOCH");
    if (epoch == null || epoch.isBlank()) return DEFAULT_TIMESTAMP;
    try {
      return Instant.ofEpochSecond(Long.parseLong(epoch.trim()));
    } catch (NumberFormatException e) {
      throw new PackagerException(
          "SOURCE_DATE_EPOCH must be seconds since 1970-01-01, got '" + epoch + "'");
    }
  }

  /**
   * Builder with documented defaults: name and version from an input bundle's manifest (required
   * for a bare ONNX file); arch {@code arm64} for Lambda (cheaper per GB-second, and the spec's
   * default), {@code x86_64} otherwise (Cloud Functions runs x86_64 only); output directory {@code
   * dist}; timestamp from {@code SOURCE_DATE_EPOCH} or {@link #DEFAULT_TIMESTAMP}.
   */
  public static final class Builder {
    private final Path model;
    private final Target target;
    private String name;
    private String version;
    private Arch arch;
    private Optimizer.Level optimize;
    private QuantizeOptions.Mode quantize;
    private Path verifyData;
    private VerifyOptions.Tolerance tolerance;
    private String baseImage;
    private List<String> labels = List.of();
    private final Map<String, String> provenance = new LinkedHashMap<>();
    private Path outputDir = Path.of("dist");
    private boolean force;
    private boolean viaS3;
    private Instant timestamp;

    private Builder(Path model, Target target) {
      this.model = model;
      this.target = target;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder version(String version) {
      this.version = version;
      return this;
    }

    public Builder arch(Arch arch) {
      this.arch = arch;
      return this;
    }

    public Builder optimize(Optimizer.Level level) {
      this.optimize = level;
      return this;
    }

    public Builder quantize(QuantizeOptions.Mode mode) {
      this.quantize = mode;
      return this;
    }

    public Builder verifyData(Path data) {
      this.verifyData = data;
      return this;
    }

    public Builder tolerance(VerifyOptions.Tolerance tolerance) {
      this.tolerance = tolerance;
      return this;
    }

    public Builder baseImage(String baseImage) {
      this.baseImage = baseImage;
      return this;
    }

    public Builder labels(List<String> labels) {
      this.labels = labels;
      return this;
    }

    public Builder provenance(String key, String value) {
      provenance.put(key, value);
      return this;
    }

    public Builder provenance(Map<String, String> entries) {
      provenance.putAll(entries);
      return this;
    }

    public Builder outputDir(Path dir) {
      this.outputDir = dir;
      return this;
    }

    public Builder force(boolean force) {
      this.force = force;
      return this;
    }

    public Builder viaS3(boolean viaS3) {
      this.viaS3 = viaS3;
      return this;
    }

    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    public PackageRequest build() {
      if ((verifyData != null || tolerance != null) && optimize == null && quantize == null) {
        throw new PackagerException(
            "--verify-data and --tolerance verify what --optimize or --quantize change; without"
                + " either, the model is packaged as it is");
      }
      Arch a = arch != null ? arch : target == Target.LAMBDA ? Arch.ARM64 : Arch.X86_64;
      Instant ts = timestamp != null ? timestamp : timestampFrom(System.getenv());
      return new PackageRequest(
          model,
          name,
          version,
          target,
          a,
          Optional.ofNullable(optimize),
          Optional.ofNullable(quantize),
          verifyData,
          tolerance,
          baseImage,
          labels,
          provenance,
          outputDir,
          force,
          viaS3,
          ts);
    }
  }
}
