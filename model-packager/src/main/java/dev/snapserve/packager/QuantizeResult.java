package dev.snapserve.packager;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Quantizer#quantize} wrote.
 *
 * @param sizeRatio {@code sizeBefore / sizeAfter}: how many times smaller the output is
 * @param opsetBefore the input's ai.onnx opset
 * @param opsetAfter the output's ai.onnx opset (raised when the inserted ops need it)
 * @param quantized int8: the MatMul/Gemm/Conv nodes rewritten; fp16: the initializers converted
 * @param skipped candidates left in float32, each with the reason
 * @param maxAbsWeightError largest absolute difference between a weight and its quantized value
 * @param notes what else the user should know (e.g. the basic optimization that ran first)
 */
public record QuantizeResult(
    Path input,
    Path output,
    QuantizeOptions.Mode mode,
    long sizeBefore,
    long sizeAfter,
    double sizeRatio,
    long opsetBefore,
    long opsetAfter,
    List<String> quantized,
    List<Skipped> skipped,
    double maxAbsWeightError,
    List<String> notes) {

  public QuantizeResult {
    quantized = List.copyOf(quantized);
    skipped = List.copyOf(skipped);
    notes = List.copyOf(notes);
  }

  /** A node or initializer left in float32. */
  public record Skipped(String name, String op, String reason) {}
}
