package dev.snapserve.packager;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;
import java.util.List;

/**
 * How a candidate model (optimized, quantized, ...) compares with its reference on the same inputs.
 *
 * @param inputs where the inputs came from (a data file, or "synthesized, seed N")
 * @param skippedOutputs outputs that are not tensors (sequences, maps) and were not compared
 * @param sizeRatio candidate file size / reference file size
 * @param p50Ratio candidate p50 latency / reference p50 latency (runs interleaved, batch as fed)
 * @param passed every output within {@link #tolerance}
 * @param failures why not, one line per failing output
 */
public record VerifyReport(
    @JsonSerialize(using = ToStringSerializer.class) Path reference,
    @JsonSerialize(using = ToStringSerializer.class) Path candidate,
    String inputs,
    int samples,
    String tolerance,
    List<OutputComparison> outputs,
    List<String> skippedOutputs,
    long referenceBytes,
    long candidateBytes,
    double sizeRatio,
    Latency referenceLatency,
    Latency candidateLatency,
    double p50Ratio,
    double p99Ratio,
    boolean passed,
    List<String> failures) {

  /**
   * One output compared over all samples.
   *
   * @param maxRelError largest {@code |cand - ref| / max(|ref|, 1e-6)}
   * @param outOfTolerance elements outside the abs/rel tolerance
   * @param top1Agreement for classifier outputs ({@code [N, C]} float): the fraction of rows whose
   *     arg-max class agrees, else null
   * @param referenceAccuracy top-1 accuracy against the data file's labels, when it has them
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record OutputComparison(
      String name,
      long elements,
      double maxAbsError,
      double maxRelError,
      long outOfTolerance,
      Double top1Agreement,
      Double referenceAccuracy,
      Double candidateAccuracy,
      boolean passed) {}

  /** Latency of one model's runs, in milliseconds. */
  public record Latency(double p50Millis, double p99Millis) {}
}
