package dev.snapserve.packager;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.snapserve.functions.Manifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link Inspector} found in an ONNX model or a bundle: the {@code saved_model_cli show --all}
 * of ONNX.
 *
 * @param source the path that was inspected (an .onnx file or a bundle directory)
 * @param modelFile the ONNX file itself
 * @param sizeBytes size of {@code modelFile}
 * @param opsets operator set versions by domain ({@code ai.onnx} for the default domain)
 * @param inputs graph inputs a caller feeds (initializers excluded)
 * @param initializerBytes bytes of initializer data (elements x element size; strings by length)
 * @param opHistogram node count per operator, {@code domain:OpType} outside the default domain,
 *     subgraphs (If, Loop, Scan bodies) included; most frequent first
 * @param customDomains operator domains other than {@code ai.onnx} and {@code ai.onnx.ml}: the
 *     model needs a runtime that implements them (for {@code com.microsoft}: ONNX Runtime)
 * @param metadata the model's {@code metadata_props}
 * @param bundle manifest and integrity when a bundle directory was inspected, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelReport(
    @JsonSerialize(using = ToStringSerializer.class) Path source,
    @JsonSerialize(using = ToStringSerializer.class) Path modelFile,
    long sizeBytes,
    String producerName,
    String producerVersion,
    long irVersion,
    long modelVersion,
    String graphName,
    Map<String, Long> opsets,
    List<Value> inputs,
    List<Value> outputs,
    int initializerCount,
    long initializerBytes,
    int nodeCount,
    Map<String, Integer> opHistogram,
    Set<String> customDomains,
    Map<String, String> metadata,
    Bundle bundle) {

  /**
   * A graph input or output.
   *
   * @param dtype the ONNX element type (FLOAT, INT64, ...), or the kind of a non-tensor value
   *     ({@code sequence<FLOAT>}, {@code map<STRING,FLOAT>})
   * @param shape null when the model declares no shape (any rank)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Value(String name, String dtype, List<Dim> shape) {
    /** The shape as {@code [batch, 64]}; {@code ?} marks an unnamed dynamic dimension. */
    public String shapeText() {
      if (shape == null) return "unknown rank";
      return shape.stream().map(Dim::toString).toList().toString();
    }
  }

  /**
   * One dimension: a fixed size, a symbolic name shared by equal dimensions ({@code batch}), or
   * neither (unnamed dynamic).
   */
  public record Dim(Long size, String symbol) {
    @JsonValue
    public Object json() {
      return size != null ? size : symbol != null ? symbol : "?";
    }

    @Override
    public String toString() {
      return String.valueOf(json());
    }
  }

  /** A bundle directory's manifest and whether its model file is the one the manifest describes. */
  public record Bundle(
      @JsonSerialize(using = ToStringSerializer.class) Path directory,
      Manifest manifest,
      Integrity integrity) {}

  /**
   * SHA-256 and size check of a bundle's model file against its manifest.
   *
   * @param problem why the check failed, null when {@code ok}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Integrity(
      boolean ok,
      String expectedSha256,
      String actualSha256,
      long expectedSizeBytes,
      long actualSizeBytes,
      String problem) {}
}
