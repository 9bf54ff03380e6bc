package dev.snapserve.packager;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link Quantizer#quantize} does. Start from {@link #of} and adjust with the {@code with...}
 * methods.
 *
 * @param input the ONNX model to quantize (never modified)
 * @param output where the quantized model goes; must not be {@code input}
 * @param mode {@link Mode#INT8} or {@link Mode#FP16}
 * @param force replace an existing {@code output} (default false)
 * @param reduceRange int8 only: 7-bit weights, for AVX2 CPUs without VNNI where u8 x s8 products
 *     can saturate (default false; costs accuracy, so use it only on such CPUs)
 * @param progress where progress goes (default {@link Progress#NONE})
 */
public record QuantizeOptions(
    Path input, Path output, Mode mode, boolean force, boolean reduceRange, Progress progress) {

  /** The kind of quantization. */
  public enum Mode {
    /** INT8 weights, activations quantized at run time (dynamic quantization). */
    INT8,
    /** FLOAT16 weights, float32 arithmetic, inputs and outputs. */
    FP16;

    public static Mode parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new PackagerException("quantization mode must be int8 or fp16, got '" + s + "'");
      }
    }
  }

  public QuantizeOptions {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(progress, "progress");
  }

  public static QuantizeOptions of(Path input, Path output, Mode mode) {
    return new QuantizeOptions(input, output, mode, false, false, Progress.NONE);
  }

  public QuantizeOptions withForce(boolean force) {
    return new QuantizeOptions(input, output, mode, force, reduceRange, progress);
  }

  public QuantizeOptions withReduceRange(boolean reduceRange) {
    return new QuantizeOptions(input, output, mode, force, reduceRange, progress);
  }

  public QuantizeOptions withProgress(Progress progress) {
    return new QuantizeOptions(input, output, mode, force, reduceRange, progress);
  }
}
