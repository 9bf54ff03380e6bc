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
    Map<String, String> provenance) {

  public static final int SCHEMA_VERSION = 1;

  /** The model file inside the bundle and its integrity data. */
  public record ModelFile(String file, String sha256, long sizeBytes) {}

  public Manifest {
    labels = labels == null ? null : List.copyOf(labels);
    provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
  }
}
