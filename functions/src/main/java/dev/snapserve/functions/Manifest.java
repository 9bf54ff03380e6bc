package dev.snapserve.functions;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a model bundle: what the model is, how to verify it, and its
 * signature. The schema is documented in the README; the packager writes the same format.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    int schemaVersion,
    String name,
    String version,
    String format,
    ModelFile model,
    Signature signature,
    List<String> labels,
    Map<String, String> provenance,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Optimization> optimizations) {

  public static final int SCHEMA_VERSION = 1;

  /** What a model name or version may be: they name files, S3 keys and routes. */
  public static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*";

  /** The model file inside the bundle and its integrity data. */
  public record ModelFile(String file, String sha256, long sizeBytes) {}

  /**
   * One transformation the packager applied to the model, in order.
   *
   * @param step what ran, e.g. {@code optimize} or {@code quantize}
   * @param level its setting: the optimization level or the quantization mode
   * @param verify how the result compared with the model before the step; null if not verified
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Optimization(String step, String level, Verification verify) {}

  /**
   * Outputs of a transformed model against the original on the same inputs.
   *
   * @param maxAbsError largest absolute difference over all outputs
   * @param top1Agreement fraction of samples whose arg-max agrees (classifiers); null otherwise
   * @param tolerance what was required, e.g. {@code abs=1e-4,rel=1e-3,top1=0.99}
   * @param inputs what the models ran on, e.g. {@code 360 rows of digits-heldout.json}
   * @param passed whether the tolerances were met
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Verification(
      double maxAbsError, Double top1Agreement, String tolerance, String inputs, boolean passed) {}

  public Manifest {
    labels = labels == null ? null : List.copyOf(labels);
    provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
    // optional and absent from manifests written before it existed
    optimizations = optimizations == null ? List.of() : List.copyOf(optimizations);
  }

  /** A manifest of a model used as exported, with no optimizations applied. */
  public Manifest(
      int schemaVersion,
      String name,
      String version,
      String format,
      ModelFile model,
      Signature signature,
      List<String> labels,
      Map<String, String> provenance) {
    this(schemaVersion, name, version, format, model, signature, labels, provenance, List.of());
  }
}
